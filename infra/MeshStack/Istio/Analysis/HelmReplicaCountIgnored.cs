using MeshStack.Analysis;
namespace MeshStack.Istio.Analysis;

/// <summary>
/// Istio's charts ignore <c>replicaCount</c> while autoscaling is on (the default): istiod renders <c>replicas</c> only
/// when <c>autoscaleEnabled</c> is false, the gateway chart only when <c>autoscaling.enabled</c> is false (istio
/// manifests/charts/istio-control/istio-discovery/templates/deployment.yaml 26-28 and values.yaml 4; gateway
/// templates/deployment.yaml 13-15 and values.yaml 83-85, release-1.31). A replicaCount there is a value the chart ignores.
/// </summary>
public sealed class HelmReplicaCountIgnored : AnalysisRule
{
    public override string Id => "MS502";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a chart value is ignored: replicaCount while the chart autoscales";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var r in model.Releases)
        {
            if (r.Value("replicaCount") is null) continue;
            var autoscaling = r.Chart switch
            {
                "istiod" => r.Value("autoscaleEnabled") is not System.Text.Json.Nodes.JsonValue v || !v.TryGetValue<bool>(out var b) || b,
                "gateway" => r.Value("autoscaling.enabled") is not System.Text.Json.Nodes.JsonValue g || !g.TryGetValue<bool>(out var gb) || gb,
                _ => false,
            };
            if (autoscaling)
                yield return At(r.Ref, $"replicaCount {r.Value("replicaCount")} is ignored: the {r.Chart} chart autoscales (the HPA minimum decides)",
                    r.Chart == "istiod" ? "set autoscaleMin (or autoscaleEnabled: false with replicaCount)" : "set autoscaling.minReplicas (or autoscaling.enabled: false)");
        }
    }
}
