using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// Gateway API ranks matches by specificity; two rules on the same parent with the same match (path, method, headers)
/// tie, and the tie goes to the older route, then to namespace/name order (Linkerd follows the Gateway API ordering):
/// when the tied rules send to different backends or carry different timeouts/retries, which one applies is an accident.
/// </summary>
public sealed class RouteTie : AnalysisRule
{
    public override string Id => "MS304";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "two HTTPRoute rules on one parent have the same match but different backends or policy";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var entries =
            from r in model.OfKind("gateway.networking.k8s.io", "HTTPRoute")
            from p in Json.Objects(r.Spec?["parentRefs"])
            from rule in Json.Objects(r.Spec?["rules"])
            from m in Json.Objects(rule["matches"])
            select (Route: r, Parent: $"{r.Cluster}/{Json.Str(p["kind"])}/{Json.Str(p["name"])}", Key: Key(m), Behaviour: Behaviour(r, rule));
        foreach (var group in entries.GroupBy(e => (e.Parent, e.Key)).Where(g => g.Select(e => e.Behaviour).Distinct().Count() > 1))
        {
            var names = group.Select(e => e.Route.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            yield return At(group.OrderBy(e => e.Route.Name, StringComparer.Ordinal).Last().Route,
                $"match {group.Key.Key} ties between {string.Join(", ", names)} with different backends or policy: which applies depends on creation time",
                "merge the rules, or make one match more specific (a header or a longer path)");
        }
    }

    private static string Key(JsonObject m) => $"{Json.Str(m["path"]?["type"]) ?? "PathPrefix"} {Json.Str(m["path"]?["value"]) ?? "/"} {Json.Str(m["method"]) ?? "*"} {m["headers"]?.ToJsonString() ?? ""}";

    private static string Behaviour(Security.Policy.RenderedObject route, JsonObject rule) =>
        (rule["backendRefs"]?.ToJsonString() ?? "") + (rule["filters"]?.ToJsonString() ?? "") + (rule["timeouts"]?.ToJsonString() ?? "")
        + string.Join(",", (route.Object["metadata"]?["annotations"] as JsonObject ?? []).Where(a => a.Key.Contains("linkerd.io/", StringComparison.Ordinal)).Select(a => $"{a.Key}={a.Value}"));
}
