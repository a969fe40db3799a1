using System.Text.Json.Nodes;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis.Rules.Authorization;

/// <summary>
/// A workload selector (Istio AuthorizationPolicy, RequestAuthentication, Telemetry; Linkerd Server) that matches no
/// rendered pod template and no chart-made pod applies to nothing: the protection it was written for is absent.
/// </summary>
public abstract class SelectorMatchesNothing : AnalysisRule
{
    public override FindingLevel Level => FindingLevel.Error;
    protected abstract string Group { get; }
    protected abstract string Kind { get; }
    protected virtual JsonObject? Selector(RenderedObject o) => o.Spec?["selector"]?["matchLabels"] as JsonObject;
    public override string Summary => $"the selector of a {Kind} matches no pod template or chart-made workload";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var charts = model.ChartWorkloads.ToList();
        foreach (var o in model.OfKind(Group, Kind))
        {
            if (Selector(o) is not { Count: > 0 } selector) continue;
            if (model.PodsSelectedBy(o.Cluster, o.Namespace, selector).Any()) continue;
            if (charts.Any(c => c.Cluster == o.Cluster && c.Namespace == o.Namespace && LabelSelector.Matches(selector, c.Labels))) continue;
            // other charts' pods are not visible here
            if (model.IsChartNamespace(o.Cluster, o.Namespace) && !charts.Any(c => c.Cluster == o.Cluster && c.Namespace == o.Namespace)) continue;
            yield return At(o, $"selector {selector.ToJsonString()} matches no pod in {o.Namespace}: the {Kind} applies to nothing",
                "select the workload's pod labels (app)");
        }
    }
}
