using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace MeshStack.Graph;

/// <summary>
/// Source-generated JSON metadata of the KubernetesClient kinds the stack creates (and the hand-written Link), so serializing them needs no
/// reflection (Native AOT, and no reflection warm-up on the first call). A kind missing here fails on its first
/// serialization, in every build, naming the type: add it to the list.
/// </summary>
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1Ingress))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1PodDisruptionBudget))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1ServiceAccount))]
[JsonSerializable(typeof(V1StatefulSet))]
[JsonSerializable(typeof(MeshStack.Linkerd.LinkerdLink))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
internal sealed partial class KubernetesModelJsonContext : JsonSerializerContext
{
}

/// <summary>
/// KubernetesClient's own JSON conventions (its KubernetesJson options) on the generated metadata, less the kinds' own
/// apiVersion and kind: the entity attribute is the authority for those (typed models often leave them unset), and a
/// resource's properties leave them to Pulumi's type token. (A contract modifier: it works on the generated metadata,
/// with no reflection.)
/// </summary>
internal static class KubernetesModelJson
{
    public static JsonSerializerOptions Options { get; } = Create(KubernetesModelJsonContext.Default.WithAddedModifier(info =>
    {
        if (!typeof(IKubernetesObject).IsAssignableFrom(info.Type)) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Name is "apiVersion" or "kind") info.Properties.RemoveAt(i);
    }));

    private static JsonSerializerOptions Create(IJsonTypeInfoResolver resolver)
    {
        // KubernetesJson's settings, minus what these kinds never hold (enums, V1Status); its options object itself
        // is not used because its static constructor adds the reflection resolver.
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters =
            {
                new k8s.KubernetesJson.Iso8601TimeSpanConverter(),
                new k8s.KubernetesJson.KubernetesDateTimeConverter(),
                new k8s.KubernetesJson.KubernetesDateTimeOffsetConverter(),
            },
            TypeInfoResolver = resolver,
        };
        options.MakeReadOnly();
        return options;
    }
}
