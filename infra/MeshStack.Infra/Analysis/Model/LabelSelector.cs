using System.Text.Json.Nodes;

namespace MeshStack.Analysis;

/// <summary>Kubernetes equality-based label selection (<c>matchLabels</c>); an absent selector selects everything.</summary>
public static class LabelSelector
{
    public static bool Matches(JsonObject? matchLabels, IReadOnlyDictionary<string, string> labels) =>
        matchLabels is null || matchLabels.All(m => labels.TryGetValue(m.Key, out var v) && v == m.Value?.GetValue<string>());

    public static IReadOnlyDictionary<string, string> Of(JsonNode? labels) =>
        (labels as JsonObject ?? []).Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);
}
