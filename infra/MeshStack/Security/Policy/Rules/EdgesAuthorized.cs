using MeshStack.Meshes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>
/// Every edge of the topology (service calls and ingress) is explicitly authorized, route by route, in the
/// rendered policies of every cluster that runs the callee, and the application namespace denies by default.
/// </summary>
public sealed class EdgesAuthorized : PolicyRule
{
    public override string Id => "edges-authorized";
    public override bool ReadsConfig => true;
    public override string Summary => "the app namespace denies by default and every declared call (method + path) has its explicit grant";

    private const string Fix = "derive authorization from AppTopology.Calls (the security component does); do not edit policies by hand";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        var security = MeshCatalog.Create(context.Config.Mesh).Security;
        foreach (var config in context.Config.Clusters)
        {
            // a cluster authorizes the calls to the services that run there, including those arriving from other clusters
            var intent = AuthorizationIntent.InCluster(context.Config, config, context.Topology);
            var cluster = config.Name;
            var inNs = context.Objects.Where(o => o.Cluster == cluster && o.Namespace == intent.Namespace).ToList();
            foreach (var gap in security.UnauthorizedEdges(cluster, intent, inNs))
                yield return Finding(gap.Resource, gap.Subject, gap.Message, Fix);
        }
    }
}
