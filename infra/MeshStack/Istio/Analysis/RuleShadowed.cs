using MeshStack.Analysis;
using System.Text.Json.Nodes;

namespace MeshStack.Istio.Analysis;

/// <summary>
/// Istio takes a VirtualService's http rules in order: a rule every request of which an earlier rule already matches
/// never applies (its timeout, retries or canary split are dead).
/// </summary>
public sealed class RuleShadowed : AnalysisRule
{
    public override string Id => "MS303";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a VirtualService http rule is unreachable: an earlier rule matches everything it matches";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var vs in model.OfKind("networking.istio.io", "VirtualService"))
        {
            var rules = Json.Objects(vs.Spec?["http"]).ToList();
            for (var i = 1; i < rules.Count; i++)
            {
                var later = Matches(rules[i]);
                for (var j = 0; j < i; j++)
                {
                    var earlier = Matches(rules[j]);
                    if (later.All(b => earlier.Any(a => Covers(a, b))))
                    {
                        yield return At(vs, $"rule {Json.Str(rules[i]["name"]) ?? $"http[{i}]"} is never used: rule {Json.Str(rules[j]["name"]) ?? $"http[{j}]"} before it matches every request it would",
                            "order rules from the most specific to the catch-all");
                        break;
                    }
                }
            }
        }
    }

    /// <summary>A rule without matches matches everything: one empty match.</summary>
    private static List<JsonObject> Matches(JsonObject rule) => Json.Objects(rule["match"]).ToList() is { Count: > 0 } m ? m : [new JsonObject()];

    /// <summary>True when every request match <paramref name="b"/> admits, <paramref name="a"/> admits too.</summary>
    private static bool Covers(JsonObject a, JsonObject b)
    {
        foreach (var key in a.Select(p => p.Key))
            if (key is not ("method" or "uri" or "headers" or "name")) return false; // a condition this rule does not model: not provably wider
        if (a["method"] is { } am && Json.Str(am["exact"]) != Json.Str(b["method"]?["exact"])) return false;
        if (a["uri"] is JsonObject au && !UriCovers(au, b["uri"] as JsonObject)) return false;
        foreach (var (name, cond) in a["headers"] as JsonObject ?? [])
            if (b["headers"]?[name] is not { } bc || Json.Str(cond?["exact"]) is not { } v || Json.Str(bc["exact"]) != v) return false;
        return true;
    }

    private static bool UriCovers(JsonObject a, JsonObject? b)
    {
        if (b is null) return Json.Str(a["prefix"]) == "/";
        if (Json.Str(a["prefix"]) is { } p)
            return (Json.Str(b["prefix"]) ?? Json.Str(b["exact"])) is { } bv && bv.StartsWith(p, StringComparison.Ordinal);
        if (Json.Str(a["exact"]) is { } e) return Json.Str(b["exact"]) == e;
        return false;
    }
}
