using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace MeshStack.Graph;

/// <summary>
/// Serializes a model to a JSON tree of plain nodes. <c>JsonSerializer.SerializeToNode</c> returns a view over a parsed
/// document instead, and every read of one of its strings decodes a new copy (and boxes the element underneath): the
/// analysis reads kinds, names and labels of every object many times, so the strings are decoded once, here.
/// Numbers keep their serialized text, so the emitted bytes are the serializer's.
/// </summary>
internal static class JsonTree
{
    public static JsonObject Of(object value, JsonTypeInfo typeInfo)
    {
        var reader = new Utf8JsonReader(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        reader.Read();
        return Read(ref reader) as JsonObject
            ?? throw new JsonException($"{value.GetType().Name} did not serialize to an object");
    }

    private static JsonNode? Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var o = new JsonObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    o.Add(name, Read(ref reader));
                }
                return o;
            case JsonTokenType.StartArray:
                var a = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) a.Add(Read(ref reader));
                return a;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString()!);
            case JsonTokenType.Number:
                return Number(ref reader);
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }

    /// <summary>An integer written the way a long is written stays a long; any other number keeps its exact text.</summary>
    private static JsonValue Number(ref Utf8JsonReader reader)
    {
        Span<byte> canonical = stackalloc byte[20];
        if (reader.TryGetInt64(out var l) && Utf8Formatter.TryFormat(l, canonical, out var written) && reader.ValueSpan.SequenceEqual(canonical[..written]))
            return JsonValue.Create(l);
        return JsonValue.Create(JsonElement.ParseValue(ref reader))!;
    }
}
