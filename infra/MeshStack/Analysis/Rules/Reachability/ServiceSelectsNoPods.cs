using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>
/// A Service whose selector matches no rendered pod template has no endpoints: every call to it fails, unless the mesh
/// serves it elsewhere on purpose (<see cref="IMeshAnalysis.ServedElsewhere"/>).
/// </summary>
public sealed class ServiceSelectsNoPods : AnalysisRule
{
    public override string Id => "MS101";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Service's selector matches no pod template in its namespace";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var s in model.OfKind("", "Service"))
        {
            if (s.Spec?["selector"] is not JsonObject { Count: > 0 } selector || model.IsChartNamespace(s.Cluster, s.Namespace)) continue;
            if (model.PodsSelectedBy(s.Cluster, s.Namespace, selector).Any() || model.Mesh.ServedElsewhere(model, s)) continue;
            if (!model.ChartWorkloads.Any(c => c.Cluster == s.Cluster && c.Namespace == s.Namespace && LabelSelector.Matches(selector, c.Labels)))
                yield return At(s, $"selector {selector.ToJsonString()} matches no pod template in {s.Namespace}: the Service has no endpoints",
                    "make the selector match the workload's pod labels (app, version)");
        }
    }
}
