namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// Istio applies no timeout to a rule without one, and Linkerd none to a route without <c>timeout.linkerd.io/request</c>
/// (or <c>timeouts.request</c>): a hung callee holds the caller's request and connection forever.
/// </summary>
public sealed class RouteWithoutTimeout : AnalysisRule
{
    public override string Id => "MS308";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a mesh route has no request timeout";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var rule in IstioHttpRule.In(model).Where(r => r.Rule["timeout"] is null && r.Routes.Any()))
            yield return At(rule.VirtualService, $"rule {rule.Name} has no timeout: a hung callee is waited for indefinitely", "set timeout on the rule");
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute"))
        {
            if (!Json.Objects(route.Spec?["parentRefs"]).Any(p => Json.Str(p["kind"]) == "Service")) continue;
            var annotated = route.Object["metadata"]?["annotations"]?["timeout.linkerd.io/request"] is not null;
            if (!annotated && Json.Objects(route.Spec?["rules"]).Any(r => r["timeouts"]?["request"] is null))
                yield return At(route, "no request timeout (timeout.linkerd.io/request or timeouts.request): a hung callee is waited for indefinitely", "set timeout.linkerd.io/request");
        }
    }
}
