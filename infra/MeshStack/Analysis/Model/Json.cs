using System.Text.Json.Nodes;

namespace MeshStack.Analysis;

/// <summary>Reading rendered objects leniently: a hand-edited render may hold any shape, and a rule must not crash on it.</summary>
public static class Json
{
    public static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static int? Int(JsonNode? n) => n is JsonValue v
        ? v.TryGetValue<int>(out var i) ? i : v.TryGetValue<long>(out var l) ? (int)l : v.TryGetValue<double>(out var d) ? (int)d
        : v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null
        : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? n) => (n as JsonArray ?? []).OfType<JsonObject>();

    public static IEnumerable<string> Strings(JsonNode? n) => (n as JsonArray ?? []).Select(Str).OfType<string>();
}
