using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>No container may run as root: runAsNonRoot on the pod or container, and never user 0.</summary>
public sealed class WorkloadNonRoot : PolicyRule
{
    public override string Id => "workload-non-root";
    public override string Summary => "every container runs as a non-root user";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        foreach (var pod in WorkloadPod.In(context))
        {
            var podContext = pod.PodSpec["securityContext"];
            foreach (var c in pod.Containers)
            {
                var sc = c["securityContext"];
                var nonRoot = Bool(sc?["runAsNonRoot"]) ?? Bool(podContext?["runAsNonRoot"]) ?? false;
                var user = Long(sc?["runAsUser"]) ?? Long(podContext?["runAsUser"]);
                if (!nonRoot || user == 0)
                    yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' may run as root (runAsNonRoot {(nonRoot ? "true" : "unset or false")}, runAsUser {(user?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset")})",
                        "set securityContext.runAsNonRoot: true and a non-zero runAsUser on the pod or container");
            }
        }
    }

    private static bool? Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
    private static long? Long(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;
}
