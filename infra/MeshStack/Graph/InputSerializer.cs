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
    /// <summary>The properties as a JSON tree (for rules and tests; the program is written by <see cref="WriteProperties"/>).</summary>
    public static JsonObject Properties(Resource resource) => resource.Inputs switch
    {
        RawInputs raw => raw.Json.DeepClone().AsObject(),
        // the objects are already JSON trees: serializing the args record again would copy every one of them
        ConfigGroupArgs group => new JsonObject { ["objs"] = group.Objs },
        // a read resource has no properties: its id goes under `get`
        ReadInputs => [],
        IProviderArgs args => JsonSerializer.SerializeToNode(args, ProviderArgsInfo(args))!.AsObject(),
        var model => WithoutTypeMeta(KubernetesObject(model)),
    };

    /// <summary>
    /// Writes the same properties as <see cref="Properties"/> as JSON, straight from the typed inputs: no tree, and no
    /// document but where an object must be reordered (a typed kind inside a ConfigGroup).
    /// </summary>
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
                writer.WriteStartObject();
                writer.WriteEndObject();
                return;
            case IProviderArgs args:
                JsonSerializer.Serialize(writer, args, ProviderArgsInfo(args));
                return;
            case var model when EntityOf(model.GetType()) is not null:
                // Pulumi fills apiVersion/kind from the type token: the properties' metadata leaves them out
                JsonSerializer.Serialize(writer, model, KubernetesModelJson.WithoutTypeMeta.GetTypeInfo(model.GetType()));
                return;
            case var model:
                foreach (var property in Element(model).EnumerateObject())
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
        if (EntityOf(model.GetType()) is { } entity)
        {
            var json = JsonTree.Of(Element(model));
            // Typed models often leave apiVersion/kind unset; the entity attribute is the authority, and they come first.
            json.Remove("apiVersion");
            json.Remove("kind");
            json.Insert(0, "apiVersion", entity.Group.Length == 0 ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}");
            json.Insert(1, "kind", entity.Kind);
            return json;
        }
        return JsonTree.Of(Element(model));
    }

    /// <summary>As <see cref="KubernetesObject"/>, written as JSON.</summary>
    private static void WriteKubernetesObject(Utf8JsonWriter writer, object model)
    {
        if (EntityOf(model.GetType()) is null)
        {
            // the generated custom-resource types (Istio, Linkerd, Gateway API, Flagger, Prometheus Operator) carry their own
            JsonSerializer.Serialize(writer, model, CrdTypeInfo(model));
            return;
        }
        writer.WriteStartObject();
        foreach (var (key, value) in TypeMeta(model)) writer.WriteString(key, value);
        foreach (var property in JsonSerializer.SerializeToElement(model, KubernetesModelJson.WithoutTypeMeta.GetTypeInfo(model.GetType())).EnumerateObject())
            property.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary>The model serialized as its own metadata says (KubernetesClient kinds or generated custom resources).</summary>
    private static JsonElement Element(object model) => EntityOf(model.GetType()) is not null
        ? JsonSerializer.SerializeToElement(model, KubernetesModelJson.Options.GetTypeInfo(model.GetType()))
        : JsonSerializer.SerializeToElement(model, CrdTypeInfo(model));

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

    /// <summary>Pulumi fills apiVersion/kind from the type token; the program omits them.</summary>
    public static JsonObject WithoutTypeMeta(JsonObject o)
    {
        o.Remove("apiVersion");
        o.Remove("kind");
        return o;
    }
}
