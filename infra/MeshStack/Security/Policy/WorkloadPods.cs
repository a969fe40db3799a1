using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy;

/// <summary>A rendered workload's pod template and its containers (init containers included).</summary>
public sealed record WorkloadPod(RenderedObject Owner, JsonObject Template, JsonObject PodSpec, IReadOnlyList<JsonObject> Containers)
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

    public static IEnumerable<WorkloadPod> In(PolicyContext context)
    {
        foreach (var o in context.Objects.Where(o => o.ApiVersion == "apps/v1" && WorkloadKinds.Contains(o.Kind)))
        {
            if (o.Spec?["template"] is not JsonObject template || template["spec"] is not JsonObject pod) continue;
            var containers = new[] { "initContainers", "containers" }
                .SelectMany(k => pod[k] as JsonArray ?? [])
                .OfType<JsonObject>().ToList();
            yield return new WorkloadPod(o, template, pod, containers);
        }
    }

    /// <summary>The pod template's labels: what Services, policies and budgets select (read once: every selector asks).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = Analysis.LabelSelector.Of(Template["metadata"]?["labels"]);

    public string ServiceAccount => PodSpec["serviceAccountName"]?.GetValue<string>() ?? "default";

    public static string NameOf(JsonObject container) => container["name"]?.GetValue<string>() ?? "?";
}
