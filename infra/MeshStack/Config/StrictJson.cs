using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Config;

/// <summary>
/// Parses JSON config (PULUMI_CONFIG and the structured values inside it) to nodes, refusing what JsonNode.Parse
/// would let through or throw on: a key given twice in one object, and nesting past <see cref="InputLimits.Depth"/>.
/// </summary>
public static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = InputLimits.Depth };

    /// <exception cref="JsonException">The text is not JSON, is nested too deep, or repeats a key (the message names it).</exception>
    public static JsonNode? Parse(string text)
    {
        using var doc = JsonDocument.Parse(text, Options);
        return ToNode(doc.RootElement);
    }

    /// <summary>Recursion is bounded: the document was refused past <see cref="InputLimits.Depth"/> levels.</summary>
    public static JsonNode? ToNode(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject())
                {
                    if (o.ContainsKey(p.Name)) throw new JsonException($"the key \"{Excerpt.Of(p.Name)}\" is given twice in one object");
                    o[p.Name] = ToNode(p.Value);
                }
                return o;
            }
            case JsonValueKind.Array:
                return new JsonArray(e.EnumerateArray().Select(ToNode).ToArray());
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(e.Clone()); // detached: the document is disposed after parsing
        }
    }
}
