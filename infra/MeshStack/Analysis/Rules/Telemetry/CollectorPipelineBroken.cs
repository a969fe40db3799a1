namespace MeshStack.Analysis.Rules.Telemetry;

/// <summary>
/// Workloads send traces, metrics and logs over OTLP; in the collector each signal needs a pipeline whose receivers
/// include otlp (with the protocol the workloads use) and whose every component is defined, or the collector refuses
/// its config and nothing arrives. A cluster with exporting workloads and no collector loses everything.
/// </summary>
public sealed class CollectorPipelineBroken : AnalysisRule
{
    public override string Id => "MS404";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a signal the workloads export has no working collector pipeline (undefined component, no otlp receiver, no collector)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var cluster in model.Clusters)
        {
            var exporters = CollectorPipelines.Exporters(model, cluster).ToList();
            if (exporters.Count == 0) continue;
            var collectors = CollectorPipelines.In(model, cluster).ToList();
            if (collectors.Count == 0)
            {
                yield return At(exporters[0].Pod.Owner, $"{exporters.Count} workloads export OTLP, but no {CollectorPipelines.Chart} release runs in {cluster}", "install the collector in every cluster that runs workloads");
                continue;
            }
            foreach (var c in collectors)
            {
                foreach (var protocol in exporters.Select(e => e.Protocol).Distinct().Where(p => !c.OtlpProtocol(p)))
                    yield return At(c.Release.Ref, $"workloads export OTLP over {protocol}, which the collector's otlp receiver has switched off", $"keep receivers.otlp.protocols.{protocol}");
                foreach (var signal in CollectorPipelines.Signals)
                {
                    if (c.Declared(signal) is not { } pipeline) continue;
                    if (!Json.Strings(pipeline["receivers"]).Contains("otlp"))
                        yield return At(c.Release.Ref, $"the {signal} pipeline does not receive otlp: the workloads' {signal} are dropped", $"add otlp to service.pipelines.{signal}.receivers");
                    foreach (var section in new[] { "receivers", "processors", "exporters" })
                    foreach (var name in Json.Strings(pipeline[section]).Where(n => !c.Defines(section, n)))
                        yield return At(c.Release.Ref, $"the {signal} pipeline uses {section[..^1]} '{name}', which the config does not define: the collector does not start", $"define {section}.{name} or remove it from the pipeline");
                }
            }
        }
    }
}
