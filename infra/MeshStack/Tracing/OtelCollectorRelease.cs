using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Tracing;

/// <summary>
/// The OpenTelemetry Collector chart: OTLP in (gRPC and HTTP), memory_limiter and batch; traces out to Jaeger over
/// OTLP gRPC, metrics served to Prometheus on <see cref="CollectorEndpoint.MetricsPort"/>, logs to the collector's log.
/// Its Service and ServiceAccount names are pinned to <see cref="CollectorEndpoint"/>, which workloads and proxies use.
/// </summary>
public static class OtelCollectorRelease
{
    public const string Name = "otel-collector";
    public const string JaegerExporter = "otlp_grpc/jaeger";
    public const string MetricsExporter = "prometheus";
    public const string LogsExporter = "debug";

    public static HelmReleaseArgs Args(StackConfig config) => new()
    {
        Name = Name,
        Chart = "opentelemetry-collector",
        Version = config.Charts.OtelCollector.Version,
        Namespace = CollectorEndpoint.Namespace,
        RepositoryOpts = new HelmRepositoryOpts(config.Charts.OtelCollector.Repository),
        Values = Values(config),
    };

    private static JsonObject Values(StackConfig config) => new()
    {
        // the chart refuses to render without mode and image.repository
        ["mode"] = "deployment",
        ["image"] = new JsonObject { ["repository"] = "otel/opentelemetry-collector-contrib" },
        ["fullnameOverride"] = CollectorEndpoint.Service,
        ["serviceAccount"] = new JsonObject { ["create"] = true, ["name"] = CollectorEndpoint.ServiceAccount },
        ["replicaCount"] = config.Replicas > 1 ? 2 : 1,
        ["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
            // memory_limiter works in percent of this limit
            ["limits"] = new JsonObject { ["memory"] = "512Mi" },
        },
        ["ports"] = new JsonObject
        {
            // OTLP/gRPC is HTTP/2 in clear text: kubernetes.io/h2c is the one name both meshes read that way (Istio: HTTP2,
            // pkg/config/kube/conversion.go 63-64 at 1.31; Linkerd: Http2, policy-controller/core/src/outbound.rs 59 at
            // edge-26.8.3), where "grpc" is unknown to Linkerd and proxied as opaque TCP
            ["otlp"] = Port(CollectorEndpoint.GrpcPort, CollectorEndpoint.GrpcAppProtocol),
            ["otlp-http"] = Port(CollectorEndpoint.HttpPort, "http"),
            // only OTLP comes in: no Jaeger or Zipkin ports on the Service
            ["jaeger-compact"] = new JsonObject { ["enabled"] = false },
            ["jaeger-thrift"] = new JsonObject { ["enabled"] = false },
            ["jaeger-grpc"] = new JsonObject { ["enabled"] = false },
            ["zipkin"] = new JsonObject { ["enabled"] = false },
            [CollectorEndpoint.MetricsPortName] = Port(CollectorEndpoint.MetricsPort, "http"),
        },
        ["config"] = new JsonObject
        {
            // Pulumi drops null values before Helm sees them (pulumi sdk/go/pulumi/rpc.go 481-483), so a chart default
            // cannot be deleted from here. The chart's extra receivers (jaeger, zipkin, prometheus) stay declared but
            // do nothing: a collector only starts the components its pipelines name. Every pipeline below is therefore
            // spelled out whole; Helm replaces lists, so each `receivers` list drops the chart's defaults.
            ["processors"] = new JsonObject
            {
                ["memory_limiter"] = new JsonObject { ["check_interval"] = "1s", ["limit_percentage"] = 80, ["spike_limit_percentage"] = 25 },
                ["batch"] = new JsonObject(),
            },
            ["exporters"] = new JsonObject
            {
                // inside the mesh the hop to Jaeger is encrypted by the proxies, so the exporter itself speaks plaintext
                [JaegerExporter] = new JsonObject { ["endpoint"] = JaegerEndpoint.OtlpGrpcAuthority, ["tls"] = new JsonObject { ["insecure"] = true } },
                // the apps' OTLP metrics, served for Prometheus to scrape
                // (the chart binds every endpoint to the pod IP the same way; the `$` reaches Helm escaped as `$$`)
                [MetricsExporter] = new JsonObject { ["endpoint"] = $"${{env:MY_POD_IP}}:{CollectorEndpoint.MetricsPort}" },
                // the apps' OTLP logs: no log store is installed, so they are summarized in the collector's own log
                [LogsExporter] = new JsonObject { ["verbosity"] = "basic" },
            },
            ["service"] = new JsonObject
            {
                ["pipelines"] = new JsonObject
                {
                    ["traces"] = Pipeline(JaegerExporter),
                    ["metrics"] = Pipeline(MetricsExporter),
                    ["logs"] = Pipeline(LogsExporter),
                },
            },
        },
    };

    /// <summary>OTLP in, memory_limiter and batch, one exporter out.</summary>
    private static JsonObject Pipeline(string exporter) => new()
    {
        ["receivers"] = new JsonArray("otlp"),
        ["processors"] = new JsonArray("memory_limiter", "batch"),
        ["exporters"] = new JsonArray(exporter),
    };

    private static JsonObject Port(int port, string appProtocol) => new()
    {
        ["enabled"] = true,
        ["containerPort"] = port,
        ["servicePort"] = port,
        ["protocol"] = "TCP",
        ["appProtocol"] = appProtocol,
    };
}
