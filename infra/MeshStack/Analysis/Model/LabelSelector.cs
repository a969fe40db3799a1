using System.Text.Json.Nodes;

namespace MeshStack.Analysis;

/// <summary>Kubernetes equality-based label selection (<c>matchLabels</c>); an absent selector selects everything.</summary>
public static class LabelSelector
{
    public static bool Matches(JsonObject? matchLabels, IReadOnlyDictionary<string, string> labels) =>
        matchLabels is null || matchLabels.All(m => labels.TryGetValue(m.Key, out var v) && v == m.Value?.GetValue<string>());

    /// <summary>A whole LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) all hold.</summary>
    public static bool MatchesSelector(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (!Matches(selector?["matchLabels"] as JsonObject, labels)) return false;
        foreach (var e in Json.Objects(selector?["matchExpressions"]))
        {
            var key = Json.Str(e["key"]) ?? "";
            var values = Json.Strings(e["values"]).ToList();
            var has = labels.TryGetValue(key, out var value);
            var ok = Json.Str(e["operator"]) switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static IReadOnlyDictionary<string, string> Of(JsonNode? labels) =>
        (labels as JsonObject ?? []).Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);
}
