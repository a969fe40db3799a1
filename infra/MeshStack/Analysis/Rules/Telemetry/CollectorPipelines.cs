using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Rules.Telemetry;

/// <summary>
/// The OpenTelemetry Collector chart's effective config: the release's <c>config</c> merged over the chart's defaults
/// (opentelemetry-collector chart 0.170.0, values.yaml 216-300: exporters debug; processors batch, memory_limiter;
/// receivers jaeger, otlp (grpc, http), prometheus, zipkin; pipelines logs, metrics and traces exporting to debug only).
/// </summary>
public sealed record CollectorPipelines(HelmRelease Release)
{
    public const string Chart = "opentelemetry-collector";
    public static readonly string[] Signals = ["traces", "metrics", "logs"];
    private static readonly Dictionary<string, string[]> Defaults = new(StringComparer.Ordinal)
    {
        ["exporters"] = ["debug"],
        ["processors"] = ["batch", "memory_limiter"],
        ["receivers"] = ["jaeger", "otlp", "prometheus", "zipkin"],
    };

    /// <summary>The pipeline the values declare for a signal, or null when only the chart's default (debug) applies.</summary>
    public JsonObject? Declared(string signal) => Release.Value($"config.service.pipelines.{signal}") as JsonObject;

    /// <summary>True when the component (exporters, processors, receivers) is defined in the values or the chart's defaults and not nulled out.</summary>
    public bool Defines(string section, string name)
    {
        var values = Release.Value($"config.{section}") as JsonObject;
        if (values is not null && values.TryGetPropertyValue(name, out var node)) return node is not null;
        return Defaults.TryGetValue(section, out var d) && d.Contains(name);
    }

    /// <summary>True when the OTLP receiver's protocol (grpc, http) is on: the chart's default unless the values null it.</summary>
    public bool OtlpProtocol(string protocol)
    {
        var protocols = Release.Value("config.receivers.otlp.protocols") as JsonObject;
        return protocols is null || !protocols.TryGetPropertyValue(protocol, out var node) || node is not null;
    }

    public static IEnumerable<CollectorPipelines> In(RenderModel model, string cluster) =>
        model.Releases.Where(r => r.Cluster == cluster && r.Chart == Chart).Select(r => new CollectorPipelines(r));

    /// <summary>Workloads exporting OTLP (the services' UseOtlpExporter sends traces, metrics and logs) and the protocol they use.</summary>
    public static IEnumerable<(Security.Policy.WorkloadPod Pod, string Protocol)> Exporters(RenderModel model, string cluster) =>
        from p in model.Pods
        where p.Owner.Cluster == cluster
        let env = p.Containers.SelectMany(c => Json.Objects(c["env"])).ToList()
        where env.Any(e => Json.Str(e["name"]) == "OTEL_EXPORTER_OTLP_ENDPOINT")
        select (p, env.Where(e => Json.Str(e["name"]) == "OTEL_EXPORTER_OTLP_PROTOCOL").Select(e => Json.Str(e["value"])).FirstOrDefault() switch
        {
            "grpc" => "grpc",
            _ => "http",
        });
}
