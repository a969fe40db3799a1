namespace MeshStack.Analysis.Rules.MultiCluster;

/// <summary>
/// Clusters of one mesh must share one root of trust and mesh identity, or cross-cluster mTLS fails (the settings come
/// from <see cref="IMeshAnalysis.SharedTrust"/>), and each cluster's identity issuer must be an intermediate CA signed
/// by that root (<see cref="IssuerChainCheck"/>), or the mesh refuses it at start.
/// </summary>
public sealed class TrustMismatch : AnalysisRule
{
    public override string Id => "MS603";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "clusters of the mesh do not share one root of trust (root cert, trust anchors, mesh ID), or an issuer does not chain to it";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Clusters.Count >= 2)
            foreach (var setting in model.Mesh.SharedTrust(model).GroupBy(s => s.Name))
            foreach (var f in Differ(setting.ToList())) yield return f;
        var chains = model.Mesh.IssuerChains(model).ToList();
        // the root the clusters trust: the one most of them name (a cluster naming another is the finding above)
        var shared = chains.GroupBy(c => c.Root).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
        foreach (var chain in chains)
        foreach (var problem in IssuerChainCheck.Problems(model, chain, shared))
            yield return At(chain.Where, problem, "sign every cluster's intermediate with the one mesh root's certificate and key (is_ca_certificate: true, allowed_uses with cert_signing)");
    }

    private IEnumerable<Finding> Differ(IReadOnlyList<TrustSetting> values)
    {
        var majority = values.GroupBy(v => v.Value).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
        foreach (var v in values.Where(v => v.Value != majority))
            yield return At(v.Where, $"{v.Name} differs from the other clusters' ({v.Value ?? "unset"} vs {majority ?? "unset"}): cross-cluster mTLS fails",
                "derive every cluster's trust from the one mesh root");
    }
}
