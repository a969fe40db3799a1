using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace MeshStack.Crds;

/// <summary>
/// The one JSON form of the generated custom resources and of KubernetesClient's <see cref="V1ObjectMeta"/>:
/// upstream field names from [JsonPropertyName], nulls omitted, enums as their exact upstream strings,
/// int-or-string as given, properties in declaration (= schema) order. Reading is strict: an unknown field,
/// a missing required field or a value outside an enum is an error, never silently dropped.
/// The metadata comes from the generated source-generation contexts only: no reflection, so the same bytes
/// come out of a JIT and a Native AOT build, and a type outside the generated kinds fails loudly.
/// </summary>
public static class CrdJson
{
    /// <summary>The serializer options; read-only, safe to share.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a generated resource (or any part of one) to a JSON tree, e.g. for a ConfigGroup's objs.</summary>
    public static JsonNode ToNode(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.SerializeToNode(value, Options.GetTypeInfo(value.GetType()))
            ?? throw new JsonException($"{value.GetType().Name} serialized to null.");
    }

    /// <summary>Serializes to compact JSON text.</summary>
    public static string ToJson(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.Serialize(value, Options.GetTypeInfo(value.GetType()));
    }

    /// <summary>
    /// Reads a <typeparamref name="T"/>. For a generated resource class, the document's apiVersion and kind
    /// must be the class's own: a v1beta1 document never turns into a v1 object unnoticed.
    /// </summary>
    public static T Deserialize<T>(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Checked(node.Deserialize(TypeInfo<T>()));
    }

    /// <inheritdoc cref="Deserialize{T}(JsonNode)"/>
    public static T Deserialize<T>(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Checked(JsonSerializer.Deserialize(json, TypeInfo<T>()));
    }

    /// <summary>Reads any generated resource, choosing the class from the document's apiVersion and kind.</summary>
    public static IKubernetesObject<V1ObjectMeta> Deserialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var apiVersion = node["apiVersion"]?.GetValue<string>();
        var kind = node["kind"]?.GetValue<string>();
        if (apiVersion is null || kind is null)
        {
            throw new JsonException("The document has no apiVersion or kind.");
        }
        var crd = CrdKinds.Find(apiVersion, kind)
            ?? throw new JsonException($"No generated type for {apiVersion} {kind}.");
        return (IKubernetesObject<V1ObjectMeta>)(node.Deserialize(Options.GetTypeInfo(crd.Type))
            ?? throw new JsonException($"{apiVersion} {kind}: the document is null."));
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static T Checked<T>(T? value)
    {
        if (value is null)
        {
            throw new JsonException($"{typeof(T).Name}: the document is null.");
        }
        if (value is IKubernetesObject resource && CrdKinds.Find(typeof(T)) is { } crd
            && (resource.ApiVersion != crd.ApiVersion || resource.Kind != crd.Kind))
        {
            throw new JsonException(
                $"{typeof(T).FullName} is {crd.ApiVersion} {crd.Kind}, but the document is {resource.ApiVersion} {resource.Kind}.");
        }
        return value;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Every generated member names its field; this covers any member that does not.
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            Converters = { new KubernetesDateTimeConverter() },
            TypeInfoResolver = JsonTypeInfoResolver.Combine(CrdJsonContexts.All()),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Kubernetes timestamps (metadata.creationTimestamp and the like) are RFC 3339 in UTC, to the second.</summary>
    private sealed class KubernetesDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
