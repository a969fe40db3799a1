using MeshStack.Analysis;

namespace MeshStack.Linkerd.Analysis;

/// <summary>
/// Linkerd multicluster: a cluster reaches another's exported services only through a Link to it (and its
/// credentials Secret), mirrored by a service-mirror controller the linkerd-multicluster chart runs for each entry of
/// <c>controllers</c> (<c>link.ref.name</c>; linkerd2 multicluster/charts/linkerd-multicluster/values.yaml 188 and
/// templates/controller/deployment.yaml 1-11, edge-26.8.3); every cluster needs all three for every other cluster that runs services.
/// </summary>
public sealed class LinkerdLinkMissing : AnalysisRule
{
    public override string Id => "MS602";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Linkerd cluster has no Link, credentials Secret or mirror controller for another cluster";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Clusters.Count < 2) yield break;
        foreach (var a in model.Clusters)
        foreach (var b in model.Clusters.Where(b => b != a && model.Pods.Any(p => p.Owner.Cluster == b && p.Owner.Namespace == model.Topology.Namespace)))
        {
            var link = model.OfKind("multicluster.linkerd.io", "Link", a).FirstOrDefault(l => (Json.Str(l.Spec?["targetClusterName"]) ?? l.Name) == b);
            if (link is null)
            {
                yield return At(new ObjectRef(a, "Link", "linkerd-multicluster", b), $"{a} has no Link to {b}: {b}'s services are unreachable from {a}", "render a Link for every ordered pair of clusters");
                continue;
            }
            var controllers = model.Releases.Where(r => r.Cluster == a && r.Chart == "linkerd-multicluster")
                .SelectMany(r => Json.Objects(r.Value("controllers"))).Select(c => Json.Str(c["link"]?["ref"]?["name"])).ToHashSet(StringComparer.Ordinal);
            if (!controllers.Contains(link.Name))
                yield return At(link, $"no service-mirror controller runs for Link {link.Name} in {a}: nothing mirrors {b}'s services", "add the link to the linkerd-multicluster chart's controllers");
            var secret = Json.Str(link.Spec?["clusterCredentialsSecret"]);
            if (secret is not null && !model.OfKind("", "Secret", a).Any(s => s.Name == secret))
                yield return At(link, $"credentials Secret {secret} is not rendered in {a}: the service mirror cannot watch {b}", "render the Link's credentials Secret");
        }
    }
}
