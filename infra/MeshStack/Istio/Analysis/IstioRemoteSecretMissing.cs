using MeshStack.Analysis;

namespace MeshStack.Istio.Analysis;

/// <summary>
/// Istio multi-primary: every istiod discovers every other cluster's endpoints through a remote secret
/// (<c>istio-remote-secret-&lt;cluster&gt;</c>, labelled <c>istio/multiCluster: "true"</c>) in istio-system: one per ordered pair.
/// </summary>
public sealed class IstioRemoteSecretMissing : AnalysisRule
{
    public override string Id => "MS601";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "an Istio cluster lacks the remote secret of another cluster (every ordered pair needs one)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Clusters.Count < 2) yield break;
        foreach (var a in model.Clusters)
        foreach (var b in model.Clusters.Where(b => b != a))
        {
            var present = model.OfKind("", "Secret", a).Any(s => s.Namespace == IstioMesh.SystemNamespace
                && Json.Str(s.Object["metadata"]?["labels"]?["istio/multiCluster"]) == "true" && s.Name == $"istio-remote-secret-{b}");
            if (!present)
                yield return At(new ObjectRef(a, "Secret", IstioMesh.SystemNamespace, $"istio-remote-secret-{b}"),
                    $"istiod in {a} cannot discover endpoints in {b}: no remote secret", "render a remote secret for every ordered pair of clusters");
        }
    }
}
