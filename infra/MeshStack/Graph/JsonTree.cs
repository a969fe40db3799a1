using System.Collections.Concurrent;
using System.Runtime.InteropServices;
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

    /// <summary>Up to this many properties, adding them one by one costs less than sizing the dictionary first.</summary>
    private const int SmallObject = 4;

    /// <summary>
    /// Property names are few (the kinds' field names, labels, annotation keys): each distinct one is decoded once and
    /// shared, instead of a new string per property of every object.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    private static string Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > 64 || raw.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || raw.IndexOf((byte)'\\') >= 0) return property.Name;
        Span<char> chars = stackalloc char[raw.Length];
        for (var i = 0; i < raw.Length; i++) chars[i] = (char)raw[i];
        var lookup = Names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var name)) return name;
        name = new string(chars);
        return Names.Count < 4096 ? Names.GetOrAdd(name, name) : name;
    }

    private static JsonNode? Node(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = element.GetPropertyCount();
                if (count <= SmallObject)
                {
                    var o = new JsonObject();
                    foreach (var p in element.EnumerateObject()) o.Add(Name(p), Node(p.Value));
                    return o;
                }
                // sized once: adding one by one regrows the object's dictionary at every power of two
                var properties = new KeyValuePair<string, JsonNode?>[count];
                var i = 0;
                foreach (var p in element.EnumerateObject()) properties[i++] = new(Name(p), Node(p.Value));
                return new JsonObject(properties);
            case JsonValueKind.Array:
                var items = new JsonNode?[element.GetArrayLength()];
                var j = 0;
                foreach (var item in element.EnumerateArray()) items[j++] = Node(item);
                return new JsonArray(items);
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString()!);
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element);
        }
    }
}
