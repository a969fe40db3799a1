using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshStack.Crds;

namespace MeshStack.Graph;

/// <summary>Turns a resource's typed inputs into the JSON object Pulumi receives as its properties.</summary>
public static class InputSerializer
{
    public static JsonObject Properties(Resource resource) => resource.Inputs switch
    {
        RawInputs raw => raw.Json.DeepClone().AsObject(),
        // the objects are already JSON trees: serializing the args record again would copy every one of them
        ConfigGroupArgs group => new JsonObject { ["objs"] = group.Objs },
        // a read resource has no properties: its id goes under `get`
        ReadInputs => [],
        IProviderArgs args => JsonSerializer.SerializeToNode(args, args.GetType(), ProviderArgsJsonContext.Default)!.AsObject(),
        var model => WithoutTypeMeta(KubernetesObject(model)),
    };

    /// <summary>A whole Kubernetes object (apiVersion, kind, metadata, ...), as kubectl would read it.</summary>
    public static JsonObject KubernetesObject(object model)
    {
        if (EntityOf(model.GetType()) is { } entity)
        {
            var json = JsonTree.Of(model, KubernetesModelJson.Options.GetTypeInfo(model.GetType()));
            // Typed models often leave apiVersion/kind unset; the entity attribute is the authority, and they come first.
            json.Remove("apiVersion");
            json.Remove("kind");
            json.Insert(0, "apiVersion", entity.Group.Length == 0 ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}");
            json.Insert(1, "kind", entity.Kind);
            return json;
        }
        // the generated custom-resource types (Istio, Linkerd, Gateway API, Flagger, Prometheus Operator)
        if (CrdKinds.Find(model.GetType()) is not null) return JsonTree.Of(model, CrdJson.Options.GetTypeInfo(model.GetType()));
        throw new NotSupportedException($"no serializer for {model.GetType().FullName}");
    }

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
