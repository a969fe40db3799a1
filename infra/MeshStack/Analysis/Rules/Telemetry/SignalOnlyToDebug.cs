namespace MeshStack.Analysis.Rules.Telemetry;

/// <summary>
/// A signal the workloads export whose pipeline the values do not declare falls back to the chart's default, which
/// only prints it (debug exporter): it reaches no backend.
/// </summary>
public sealed class SignalOnlyToDebug : AnalysisRule
{
    public override string Id => "MS405";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a signal the workloads export has no declared collector pipeline (the chart default only prints it)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var cluster in model.Clusters)
        {
            if (!CollectorPipelines.Exporters(model, cluster).Any()) continue;
            foreach (var c in CollectorPipelines.In(model, cluster))
            foreach (var signal in CollectorPipelines.Signals.Where(s => c.Declared(s) is null))
                yield return At(c.Release.Ref, $"no {signal} pipeline is declared: the chart's default sends the workloads' {signal} to the debug exporter only", $"declare service.pipelines.{signal} with a real exporter");
        }
    }
}
