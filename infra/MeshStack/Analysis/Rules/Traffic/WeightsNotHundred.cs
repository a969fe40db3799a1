namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// Weighted destinations of a VirtualService rule must add up to 100; a split meant as 90/10 that adds up to 110 or 90
/// no longer sends the percentages the stack declared. All-zero weights (Istio or Gateway API) send traffic nowhere.
/// </summary>
public sealed class WeightsNotHundred : AnalysisRule
{
    public override string Id => "MS301";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "route weights do not sum to 100 (Istio), or every backend has weight 0";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var rule in IstioHttpRule.In(model))
        {
            var routes = rule.Routes.ToList();
            if (routes.Count < 2 && routes.All(r => r["weight"] is null)) continue;
            var sum = routes.Sum(r => Json.Int(r["weight"]) ?? 0);
            if (sum != 100)
                yield return At(rule.VirtualService, $"rule {rule.Name}: destination weights sum to {sum}, not 100", "make the weights add up to 100 (e.g. 90 and 10)");
        }
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute"))
        {
            foreach (var (r, i) in Json.Objects(route.Spec?["rules"]).Select((r, i) => (r, i)))
            {
                var refs = Json.Objects(r["backendRefs"]).ToList();
                if (refs.Count > 0 && refs.All(b => Json.Int(b["weight"]) == 0))
                    yield return At(route, $"rule {i}: every backend has weight 0: requests get 500", "give at least one backend a positive weight");
            }
        }
    }
}
