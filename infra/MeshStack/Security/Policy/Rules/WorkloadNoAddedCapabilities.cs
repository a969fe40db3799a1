using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>No Linux capabilities beyond the runtime's, no privileged containers, no privilege escalation.</summary>
public sealed class WorkloadNoAddedCapabilities : PolicyRule
{
    public override string Id => "workload-no-added-capabilities";
    public override string Summary => "no container adds capabilities, runs privileged or may escalate privileges";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        foreach (var pod in WorkloadPod.In(context))
        foreach (var c in pod.Containers)
        {
            var sc = c["securityContext"];
            var added = (sc?["capabilities"]?["add"] as JsonArray ?? []).Select(a => a?.GetValue<string>()).ToList();
            if (added.Count > 0)
                yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' adds capabilities {string.Join(", ", added)}",
                    "remove securityContext.capabilities.add and drop ALL; bind ports above 1024 instead of NET_BIND_SERVICE");
            if (sc?["privileged"]?.GetValue<bool>() == true)
                yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' is privileged", "remove securityContext.privileged");
            if (sc?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
                yield return Finding(pod.Owner, $"container '{WorkloadPod.NameOf(c)}' may gain privileges (allowPrivilegeEscalation not false)",
                    "set securityContext.allowPrivilegeEscalation: false");
        }
    }
}
