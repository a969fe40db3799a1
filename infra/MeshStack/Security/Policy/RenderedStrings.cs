using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy;

/// <summary>The strings of a rendered object's string array (absent or not an array: none).</summary>
public static class RenderedStrings
{
    public static List<string> Of(JsonNode? n) => (n as JsonArray ?? []).Select(x => x?.GetValue<string>() ?? "").ToList();

    /// <summary>The strings of the array <paramref name="each"/> selects in every element of <paramref name="n"/>.</summary>
    public static List<string> Of(JsonNode? n, Func<JsonNode?, JsonNode?> each) => (n as JsonArray ?? []).SelectMany(x => Of(each(x))).ToList();
}
