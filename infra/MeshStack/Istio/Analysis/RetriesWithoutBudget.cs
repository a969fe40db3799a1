using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Traffic;

namespace MeshStack.Istio.Analysis;

/// <summary>
/// Istio bounds the retries outstanding to a service only by the DestinationRule's
/// <c>connectionPool.http.maxRetries</c>; without it Envoy's limit is 2^32-1 (istio
/// pilot/pkg/networking/core/cluster_traffic_policy.go 158-159, 472-477, release-1.31), so during an outage every
/// request's retries go through and the failing service gets (attempts + 1) times its load.
/// </summary>
public sealed class RetriesWithoutBudget : AnalysisRule
{
    public override string Id => "MS313";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "Istio retries a service whose DestinationRule sets no retry budget (maxRetries)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var rulesFor = DestinationRules.ByTarget(model, "default");
        foreach (var rule in IstioHttpRule.In(model))
        {
            var retries = rule.Rule["retries"];
            // no retries block means Istio's default retries (2), see IstioRouter
            if (retries is not null && (Json.Int(retries["attempts"]) ?? 0) <= 0) continue;
            foreach (var d in rule.Routes.Select(r => Json.Str(r["destination"]?["host"])).OfType<string>().Distinct())
            {
                if (ServiceResolver.Parse(d, rule.VirtualService.Namespace ?? "default") is not { } target) continue;
                var budget = rulesFor[(rule.VirtualService.Cluster, target)].Any(dr => dr.Spec?["trafficPolicy"]?["connectionPool"]?["http"]?["maxRetries"] is not null);
                if (!budget && reported.Add($"{rule.VirtualService.Cluster}/{target.Namespace}/{target.Name}"))
                    yield return At(rule.VirtualService, $"{target.Name} is retried (rule {rule.Name}) with no retry budget: during an outage every retry is sent",
                        "set trafficPolicy.connectionPool.http.maxRetries in the service's DestinationRule");
            }
        }
    }
}
