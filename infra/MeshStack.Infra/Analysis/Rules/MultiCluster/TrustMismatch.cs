using MeshStack.Config;

namespace MeshStack.Analysis.Rules.MultiCluster;

/// <summary>
/// Clusters of one mesh must share one root of trust and mesh identity, or cross-cluster mTLS fails: Istio's istiod
/// releases share <c>global.meshID</c> and every <c>cacerts</c> Secret carries the same <c>root-cert.pem</c>; Linkerd's
/// control planes share <c>identityTrustAnchorsPEM</c> and <c>identityTrustDomain</c>.
/// </summary>
public sealed class TrustMismatch : AnalysisRule
{
    public override string Id => "MS603";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "clusters of the mesh do not share one root of trust (root cert, trust anchors, mesh ID)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Clusters.Count < 2) yield break;
        if (model.Mesh == MeshKind.Istio)
        {
            foreach (var f in Differ(model.Releases.Where(r => r.Chart == "istiod").Select(r => (r.Ref, r.Value("global.meshID")?.ToJsonString())), "global.meshID")) yield return f;
            var roots = model.OfKind("", "Secret").Where(s => s.Name == "cacerts" && s.Namespace == Istio.IstioMesh.SystemNamespace)
                .Select(s => (s.Ref, (s.Object["stringData"]?["root-cert.pem"] ?? s.Object["data"]?["root-cert.pem"])?.ToJsonString()));
            foreach (var f in Differ(roots, "root-cert.pem")) yield return f;
        }
        else
        {
            var cps = model.Releases.Where(r => r.Chart == "linkerd-control-plane").ToList();
            foreach (var f in Differ(cps.Select(r => (r.Ref, r.Value("identityTrustAnchorsPEM")?.ToJsonString())), "identityTrustAnchorsPEM")) yield return f;
            foreach (var f in Differ(cps.Select(r => (r.Ref, (string?)(r.Value("identityTrustDomain")?.ToJsonString() ?? "\"cluster.local\""))), "identityTrustDomain")) yield return f;
        }
    }

    private IEnumerable<Finding> Differ(IEnumerable<(ObjectRef Ref, string? Value)> values, string what)
    {
        var list = values.ToList();
        var majority = list.GroupBy(v => v.Value).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
        foreach (var (where, value) in list.Where(v => v.Value != majority))
            yield return At(where, $"{what} differs from the other clusters' ({value ?? "unset"} vs {majority ?? "unset"}): cross-cluster mTLS fails",
                "derive every cluster's trust from the one mesh root");
    }
}
