using MeshStack.Analysis;
using MeshStack.Analysis.Simulation;
using MeshStack.Security;

namespace MeshStack.Linkerd.Analysis;

/// <summary>
/// Linkerd viz's Prometheus scrapes every proxy's admin port (linkerd-admin, /metrics) with its own identity; a
/// Server on that port that does not admit it leaves the dashboards and the golden-signal rules empty.
/// </summary>
public sealed class ScrapeDenied : AnalysisRule
{
    public override string Id => "MS209";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "Linkerd viz Prometheus cannot scrape a proxy's /metrics";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var prometheus = LinkerdSecurityRenderer.Identity(EdgeIdentities.LinkerdVizPrometheus);
        foreach (var cluster in model.Clusters)
        {
            var objects = model.ObjectsIn(cluster);
            foreach (var pod in model.Pods.Where(p => p.Owner.Cluster == cluster && model.Mesh.IsMeshed(model, p)))
            {
                AuthorizationVerdict verdict;
                try
                {
                    verdict = new LinkerdAuthorizer(objects).Decide(pod.Owner.Namespace ?? "default", pod.Labels, "linkerd-admin", new InboundRequest(prometheus, "GET", "/metrics"));
                }
                catch (NotSupportedException)
                {
                    continue;
                }
                if (!verdict.Allowed)
                    yield return At(pod.Owner, $"Prometheus ({prometheus}) GET /metrics on linkerd-admin is denied ({verdict.Reason})",
                        "authorize the linkerd-viz prometheus identity on the linkerd-admin Server's /metrics route");
            }
        }
    }
}
