using System.Text.Json.Nodes;

namespace MeshStack.Kubernetes;

/// <summary>Helm-style deep merge: objects merge key by key, anything else (lists included) is replaced.</summary>
public static class JsonMerge
{
    public static void Into(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject p && target[key] is JsonObject t) Into(t, p);
            else target[key] = value?.DeepClone();
        }
    }
}
