using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Graph;

/// <summary>
/// Serializes a model to a JSON tree whose strings are plain values. <c>JsonSerializer.SerializeToNode</c> returns a view
/// over a parsed document instead, and every read of one of its strings decodes a new copy (and boxes the element
/// underneath): the analysis reads kinds, names and labels of every object many times, so strings are decoded once,
/// here. Numbers and booleans stay on the document: their text is the serializer's (so the emitted bytes are too), and
/// readers keep every numeric conversion (<c>TryGetValue&lt;int&gt;</c> of a long-valued node would fail).
/// </summary>
internal static class JsonTree
{
    public static JsonObject Of(JsonElement element) =>
        Node(element) as JsonObject ?? throw new JsonException($"a {element.ValueKind} is not an object");

    private static JsonNode? Node(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in element.EnumerateObject()) o.Add(p.Name, Node(p.Value));
                return o;
            case JsonValueKind.Array:
                var a = new JsonArray();
                foreach (var item in element.EnumerateArray()) a.Add(Node(item));
                return a;
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString()!);
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element);
        }
    }
}
