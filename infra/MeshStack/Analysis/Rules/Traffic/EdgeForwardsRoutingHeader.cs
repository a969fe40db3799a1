namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// A header that selects a route inside the mesh (the canary header) must not be settable by anyone on the internet:
/// the edge has to remove it from incoming requests. Istio: the edge VirtualService's <c>headers.request.remove</c>;
/// Gateway API: a RequestHeaderModifier remove on the edge route.
/// </summary>
public sealed class EdgeForwardsRoutingHeader : AnalysisRule
{
    public override string Id => "MS309";
    // an error since issue 13 made every stack strip it: a regression fails `program` (exit 4), not just `check`
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a header that routes traffic inside the mesh reaches it from the edge unremoved";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var cluster in model.Clusters)
        {
            var routing = RoutingHeaders(model, cluster).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (routing.Count == 0) continue;
            foreach (var (edge, open) in model.Mesh.EdgeForwards(model, cluster, routing).Where(e => e.Open.Count > 0))
                yield return At(edge, $"the edge forwards {string.Join(", ", open)} from clients, and the mesh routes on it: anyone can pick the canary",
                    model.Mesh.EdgeHeaderFix);
        }
    }

    private static IEnumerable<string> RoutingHeaders(RenderModel model, string cluster)
    {
        foreach (var rule in IstioHttpRule.In(model).Where(r => r.VirtualService.Cluster == cluster && !Json.Strings(r.VirtualService.Spec?["gateways"]).Any(g => g != "mesh")))
        foreach (var m in Json.Objects(rule.Rule["match"]))
        foreach (var h in m["headers"] as System.Text.Json.Nodes.JsonObject ?? [])
            yield return h.Key;
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute", cluster).Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => Json.Str(p["kind"]) == "Service")))
        foreach (var h in Json.Objects(route.Spec?["rules"]).SelectMany(r => Json.Objects(r["matches"])).SelectMany(m => Json.Objects(m["headers"])))
            if (Json.Str(h["name"]) is { } name) yield return name;
    }
}
