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
        if (model.GetType().GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
        {
            var json = JsonSerializer.SerializeToNode(model, KubernetesModelJson.Options.GetTypeInfo(model.GetType()))!.AsObject();
            // Typed models often leave apiVersion/kind unset; the entity attribute is the authority.
            var ordered = new JsonObject
            {
                ["apiVersion"] = entity.Group.Length == 0 ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}",
                ["kind"] = entity.Kind,
            };
            foreach (var (k, v) in json.ToList())
            {
                if (k is "apiVersion" or "kind") continue;
                json.Remove(k);
                ordered[k] = v;
            }
            return ordered;
        }
        // the generated custom-resource types (Istio, Linkerd, Gateway API, Flagger, Prometheus Operator)
        if (CrdKinds.Find(model.GetType()) is not null) return CrdJson.ToNode(model).AsObject();
        throw new NotSupportedException($"no serializer for {model.GetType().FullName}");
    }

    /// <summary>Pulumi fills apiVersion/kind from the type token; the program omits them.</summary>
    public static JsonObject WithoutTypeMeta(JsonObject o)
    {
        o.Remove("apiVersion");
        o.Remove("kind");
        return o;
    }
}
