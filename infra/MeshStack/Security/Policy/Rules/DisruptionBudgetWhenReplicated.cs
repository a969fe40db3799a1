using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>A replicated workload has a PodDisruptionBudget, so node drains cannot take all replicas at once.</summary>
public sealed class DisruptionBudgetWhenReplicated : PolicyRule
{
    public override string Id => "pdb-when-replicated";
    public override string Summary => "every workload with more than one replica is covered by a PodDisruptionBudget";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        var budgets = context.OfKind("policy", "PodDisruptionBudget").ToList();
        foreach (var pod in WorkloadPod.In(context))
        {
            var replicas = pod.Owner.Spec?["replicas"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 1;
            if (replicas <= 1) continue;
            var labels = pod.Template["metadata"]?["labels"] as JsonObject ?? [];
            var covered = budgets.Any(b => b.Cluster == pod.Owner.Cluster && b.Namespace == pod.Owner.Namespace
                && b.Spec?["selector"]?["matchLabels"] is JsonObject match && match.Count > 0
                && match.All(m => labels[m.Key]?.GetValue<string>() == m.Value?.GetValue<string>()));
            if (!covered)
                yield return Finding(pod.Owner, $"{replicas} replicas and no PodDisruptionBudget selects its pods",
                    "add a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod labels");
        }
    }
}
