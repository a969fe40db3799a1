using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>Every container asks for CPU and memory and is capped: no noisy neighbour, no unschedulable surprise.</summary>
public sealed class WorkloadResources : PolicyRule
{
    public override string Id => "workload-resources";
    public override string Summary => "every container has cpu and memory requests and limits";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        foreach (var pod in WorkloadPod.In(context))
        foreach (var c in pod.Containers)
        {
            var missing = new List<string>();
            foreach (var kind in new[] { "requests", "limits" })
            foreach (var res in new[] { "cpu", "memory" })
                if (c["resources"]?[kind]?[res] is null) missing.Add($"{kind}.{res}");
            if (missing.Count > 0)
                yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' has no {string.Join(", ", missing)}",
                    "set resources.requests and resources.limits (cpu and memory) on the container");
        }
    }
}
