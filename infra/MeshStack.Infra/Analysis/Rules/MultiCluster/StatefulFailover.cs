using MeshStack.Config;

namespace MeshStack.Analysis.Rules.MultiCluster;

/// <summary>
/// A service that keeps state in its cluster's own database and fails over to another cluster writes, after failover,
/// into a different database: orders taken in one cluster are not there in the other. Istio: a DestinationRule with
/// locality failover for a database-backed service, not cluster-local, in a stack where each cluster renders its own database.
/// Linkerd: a route of that service with a mirrored (remote) backend.
/// </summary>
public sealed class StatefulFailover : AnalysisRule
{
    public override string Id => "MS604";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a database-backed service fails over to a cluster with a separate database";

    /// <summary>
    /// istiod's <c>meshConfig.serviceSettings[].settings.clusterLocal</c> keeps a host's traffic in its own cluster, so
    /// locality failover never leaves it.
    /// </summary>
    private static bool ClusterLocal(RenderModel model, string cluster, string host) =>
        model.Releases.Where(r => r.Cluster == cluster && r.Chart == "istiod")
            .SelectMany(r => Json.Objects(r.Value("meshConfig.serviceSettings")))
            .Any(s => s["settings"]?["clusterLocal"]?.ToJsonString() == "true" && Json.Strings(s["hosts"]).Contains(host));

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Clusters.Count < 2) yield break;
        var ns = model.Topology.Namespace;
        var databases = model.Clusters.Count(c => model.OfKind("apps", "StatefulSet", c).Any(s => s.Namespace == ns));
        if (databases < 2) yield break;
        foreach (var service in model.Topology.Services.Where(s => s.UsesDatabase))
        foreach (var cluster in model.Clusters)
        {
            if (model.Mesh == MeshKind.Istio)
            {
                if (ClusterLocal(model, cluster, $"{service.Name}.{ns}.svc.cluster.local")) continue;
                foreach (var dr in model.OfKind("networking.istio.io", "DestinationRule", cluster).Where(d => ServiceResolver.Parse(Json.Str(d.Spec?["host"]) ?? "", d.Namespace ?? ns) == (service.Name, ns)))
                {
                    var locality = dr.Spec?["trafficPolicy"]?["loadBalancer"]?["localityLbSetting"];
                    if (locality is not null && Json.Str(locality["enabled"]) != "false" && locality["enabled"]?.ToJsonString() != "false")
                        yield return At(dr, $"{service.Name} keeps state in its cluster's database, and locality failover sends it to another cluster's separate database",
                            "disable failover for stateful services (or replicate their data across clusters)");
                }
            }
            else if (model.Pods.Any(p => p.Owner.Cluster == cluster && p.Owner.Namespace == ns && p.Labels.GetValueOrDefault("app") == service.Name))
            {
                // only a cluster that runs the service fails over; one that does not must send it elsewhere
                var remote = model.OfKind("gateway.networking.k8s.io", "HTTPRoute", cluster)
                    .Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => Json.Str(p["kind"]) == "Service" && Json.Str(p["name"]) == service.Name))
                    .FirstOrDefault(r => Json.Objects(r.Spec?["rules"]).SelectMany(x => Json.Objects(x["backendRefs"])).Any(b => model.Clusters.Any(c => Json.Str(b["name"]) == $"{service.Name}-{c}")));
                if (remote is not null)
                    yield return At(remote, $"{service.Name} keeps state in its cluster's database, and this route sends it to another cluster's separate database",
                        "route stateful services to one cluster's instances (or replicate their data)");
            }
        }
    }
}
