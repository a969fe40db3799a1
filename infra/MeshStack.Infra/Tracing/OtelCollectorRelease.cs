using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Tracing;

/// <summary>
/// The OpenTelemetry Collector chart: OTLP in (gRPC and HTTP), memory_limiter and batch, OTLP gRPC out to Jaeger.
/// Its Service and ServiceAccount names are pinned to <see cref="CollectorEndpoint"/>, which workloads and proxies use.
/// </summary>
public static class OtelCollectorRelease
{
    public const string Name = "otel-collector";
    public const string JaegerExporter = "otlp_grpc/jaeger";

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
            // Istio must see gRPC on 4317 (appProtocol) or it may not export spans; Linkerd detects it either way
            ["otlp"] = Port(CollectorEndpoint.GrpcPort, "grpc"),
            ["otlp-http"] = Port(CollectorEndpoint.HttpPort, "http"),
            // only OTLP comes in: no Jaeger or Zipkin ports on the Service
            ["jaeger-compact"] = new JsonObject { ["enabled"] = false },
            ["jaeger-thrift"] = new JsonObject { ["enabled"] = false },
            ["jaeger-grpc"] = new JsonObject { ["enabled"] = false },
            ["zipkin"] = new JsonObject { ["enabled"] = false },
        },
        ["config"] = new JsonObject
        {
            // the chart's default receivers beyond OTLP are removed with null (its lists are replaced, maps merged)
            ["receivers"] = new JsonObject { ["jaeger"] = null, ["zipkin"] = null, ["prometheus"] = null },
            ["processors"] = new JsonObject
            {
                ["memory_limiter"] = new JsonObject { ["check_interval"] = "1s", ["limit_percentage"] = 80, ["spike_limit_percentage"] = 25 },
                ["batch"] = new JsonObject(),
            },
            ["exporters"] = new JsonObject
            {
                // inside the mesh the hop to Jaeger is encrypted by the proxies, so the exporter itself speaks plaintext
                [JaegerExporter] = new JsonObject { ["endpoint"] = JaegerEndpoint.OtlpGrpcAuthority, ["tls"] = new JsonObject { ["insecure"] = true } },
            },
            ["service"] = new JsonObject
            {
                ["pipelines"] = new JsonObject
                {
                    ["traces"] = new JsonObject
                    {
                        ["receivers"] = new JsonArray("otlp"),
                        ["processors"] = new JsonArray("memory_limiter", "batch"),
                        ["exporters"] = new JsonArray(JaegerExporter),
                    },
                    ["metrics"] = null,
                    ["logs"] = null,
                },
            },
        },
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
