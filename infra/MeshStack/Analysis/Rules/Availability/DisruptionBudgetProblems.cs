using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Rules.Availability;

/// <summary>
/// A PodDisruptionBudget that selects no pods protects nothing; one whose minAvailable is at least the replicas (or
/// maxUnavailable 0) blocks every node drain forever.
/// </summary>
public sealed class DisruptionBudgetProblems : AnalysisRule
{
    public override string Id => "MS501";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a PodDisruptionBudget selects no pods, or blocks every voluntary eviction";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var pdb in model.OfKind("policy", "PodDisruptionBudget"))
        {
            if (model.IsChartNamespace(pdb.Cluster, pdb.Namespace)) continue;
            var pods = model.PodsSelectedBy(pdb.Cluster, pdb.Namespace, pdb.Spec?["selector"]?["matchLabels"] as JsonObject).ToList();
            var selector = pdb.Spec?["selector"]?["matchLabels"] as JsonObject;
            if (pods.Count == 0 && model.ChartWorkloads.Any(c => c.Cluster == pdb.Cluster && c.Namespace == pdb.Namespace && LabelSelector.Matches(selector, c.Labels))) continue;
            if (pods.Count == 0)
            {
                yield return At(pdb, "selects no pod template: it protects nothing", "match the workload's pod labels");
                continue;
            }
            var replicas = pods.Sum(p => Json.Int(p.Owner.Spec?["replicas"]) ?? 1);
            if (Json.Int(pdb.Spec?["maxUnavailable"]) == 0 || Json.Int(pdb.Spec?["minAvailable"]) is { } min && min >= replicas)
                yield return At(pdb, $"allows no eviction of its {replicas} pods: node drains and upgrades block", "use maxUnavailable: 1");
        }
    }
}
