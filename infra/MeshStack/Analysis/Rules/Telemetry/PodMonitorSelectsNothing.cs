namespace MeshStack.Analysis.Rules.Telemetry;

/// <summary>
/// A PodMonitor whose selector (and namespaceSelector) matches no pod scrapes nothing: the dashboards stay empty.
/// The pods are judged with the labels the mesh's injector adds (<see cref="IMeshAnalysis.InjectedLabels"/>).
/// </summary>
public sealed class PodMonitorSelectsNothing : AnalysisRule
{
    public override string Id => "MS403";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a PodMonitor selects no rendered (or injected) pod";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var pm in model.OfKind("monitoring.coreos.com", "PodMonitor"))
        {
            var nsSelector = pm.Spec?["namespaceSelector"];
            var any = nsSelector?["any"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<bool>(out var b) && b;
            var names = Json.Strings(nsSelector?["matchNames"]).ToHashSet(StringComparer.Ordinal);
            var selected = model.Pods.Where(p => p.Owner.Cluster == pm.Cluster
                && (any || (names.Count == 0 ? p.Owner.Namespace == pm.Namespace : names.Contains(p.Owner.Namespace ?? "")))
                && LabelSelector.MatchesSelector(pm.Spec?["selector"], model.Mesh.InjectedLabels(model, p)));
            // pods a chart makes are not rendered here: a monitor that may look into a chart's namespace is not judged
            var chartScope = any ? model.Releases.Any(r => r.Cluster == pm.Cluster)
                : (names.Count == 0 ? [pm.Namespace ?? ""] : names).Any(n => model.IsChartNamespace(pm.Cluster, n));
            if (!selected.Any() && !chartScope)
                yield return At(pm, "selects no pod: nothing is scraped", "select labels the workloads (or the mesh injector) put on the pods");
        }
    }
}
