using System.Buffers;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using MeshStack.Crds;

namespace MeshStack.Graph;

/// <summary>Turns a resource's typed inputs into the JSON object Pulumi receives as its properties.</summary>
public static class InputSerializer
{
    /// <summary>
    /// The properties as a JSON tree, for rules and tests: what <see cref="WriteProperties"/> writes into the program,
    /// read back.
    /// </summary>
    public static JsonObject Properties(Resource resource)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json)) WriteProperties(writer, resource);
        using var document = JsonDocument.Parse(json.WrittenMemory);
        // cloned: the tree's numbers stay on the document (see JsonTree)
        return JsonTree.Of(document.RootElement.Clone());
    }

    /// <summary>Writes a resource's properties into the program, straight from the typed inputs.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, Resource resource)
    {
        switch (resource.Inputs)
        {
            case RawInputs raw:
                raw.Json.WriteTo(writer);
                return;
            case ConfigGroupArgs group:
                writer.WriteStartObject();
                writer.WriteStartArray("objs");
                foreach (var o in group.Objects) WriteKubernetesObject(writer, o);
                writer.WriteEndArray();
                writer.WriteEndObject();
                return;
            case ReadInputs:
                // a read resource has no properties: its id goes under `get`
                writer.WriteStartObject();
                writer.WriteEndObject();
                return;
            case IProviderArgs args:
                JsonSerializer.Serialize(writer, args, ProviderArgsInfo(args));
                return;
            case var model when EntityOf(model.GetType()) is not null:
                // Pulumi fills apiVersion/kind from the type token: the kinds' metadata leaves them out
                JsonSerializer.Serialize(writer, model, KubernetesModelJson.Options.GetTypeInfo(model.GetType()));
                return;
            case var model:
                foreach (var property in CrdElement(model).EnumerateObject())
                {
                    if (property.NameEquals("apiVersion") || property.NameEquals("kind")) continue;
                    property.WriteTo(writer);
                }
                return;
        }
    }

    /// <summary>The apiVersion and kind Pulumi derives from a typed resource's type token (what a manifest starts with).</summary>
    public static KeyValuePair<string, string>[] TypeMeta(object model)
    {
        if (EntityOf(model.GetType()) is { } entity)
            return [new("apiVersion", entity.Group.Length == 0 ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}"), new("kind", entity.Kind)];
        var crd = CrdKinds.Find(model.GetType()) ?? throw Unsupported(model);
        return [new("apiVersion", crd.ApiVersion), new("kind", crd.Kind)];
    }

    /// <summary>A whole Kubernetes object (apiVersion, kind, metadata, ...), as kubectl would read it.</summary>
    public static JsonObject KubernetesObject(object model)
    {
        // the generated custom-resource types (Istio, Linkerd, Gateway API, Flagger, Prometheus Operator) carry their own
        if (EntityOf(model.GetType()) is null) return JsonTree.Of(CrdElement(model));
        var json = JsonTree.Of(KindElement(model));
        var meta = TypeMeta(model);
        for (var i = 0; i < meta.Length; i++) json.Insert(i, meta[i].Key, meta[i].Value);
        return json;
    }

    /// <summary>As <see cref="KubernetesObject"/>, written as JSON.</summary>
    private static void WriteKubernetesObject(Utf8JsonWriter writer, object model)
    {
        if (EntityOf(model.GetType()) is null)
        {
            JsonSerializer.Serialize(writer, model, CrdTypeInfo(model));
            return;
        }
        writer.WriteStartObject();
        foreach (var (key, value) in TypeMeta(model)) writer.WriteString(key, value);
        foreach (var property in KindElement(model).EnumerateObject()) property.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary>A KubernetesClient kind, without its apiVersion and kind.</summary>
    private static JsonElement KindElement(object model) =>
        JsonSerializer.SerializeToElement(model, KubernetesModelJson.Options.GetTypeInfo(model.GetType()));

    private static JsonElement CrdElement(object model) => JsonSerializer.SerializeToElement(model, CrdTypeInfo(model));

    private static JsonTypeInfo CrdTypeInfo(object model) =>
        CrdKinds.Find(model.GetType()) is not null ? CrdJson.Options.GetTypeInfo(model.GetType()) : throw Unsupported(model);

    private static NotSupportedException Unsupported(object model) => new($"no serializer for {model.GetType().FullName}");

    private static JsonTypeInfo ProviderArgsInfo(IProviderArgs args) =>
        ProviderArgsJsonContext.Default.GetTypeInfo(args.GetType())
        ?? throw new InvalidOperationException($"JsonTypeInfo metadata for type '{args.GetType().FullName}' was not provided: list it in {nameof(ProviderArgsJsonContext)}");

    /// <summary>The entity attribute of each model type, read by reflection once per type rather than once per object.</summary>
    private static readonly ConcurrentDictionary<Type, KubernetesEntityAttribute?> Entities = new();

    private static KubernetesEntityAttribute? EntityOf(Type type) =>
        Entities.GetOrAdd(type, t => t.GetCustomAttribute<KubernetesEntityAttribute>());
}
