using System.Text.Json.Nodes;

namespace MeshStack.Tests.Application;

/// <summary>The pods a rendered cluster runs, as the authorizers see them: by their template's labels.</summary>
public static class Pods
{
    /// <summary>The pod labels of the service's Deployment in <paramref name="ns"/>, or null where it does not run.</summary>
    public static IReadOnlyDictionary<string, string>? Labels(IReadOnlyList<JsonObject> objects, string ns, string service) =>
        objects.FirstOrDefault(o => o["kind"]!.GetValue<string>() == "Deployment"
                && o["metadata"]!["name"]!.GetValue<string>() == service && o["metadata"]!["namespace"]!.GetValue<string>() == ns)
            ?["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
}
