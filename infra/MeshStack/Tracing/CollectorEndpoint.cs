namespace MeshStack.Tracing;

/// <summary>Where workloads and proxies send OTLP: the OpenTelemetry Collector's Service in each cluster.</summary>
public static class CollectorEndpoint
{
    public const string Namespace = "observability";
    public const string Service = "otel-collector";
    /// <summary>The collector's ServiceAccount: its identity in the mesh, which Linkerd proxies require before they export.</summary>
    public const string ServiceAccount = "otel-collector";
    public const int GrpcPort = 4317;
    public const int HttpPort = 4318;
    /// <summary>The OTLP/gRPC port's appProtocol: HTTP/2 in clear text, read as such by both meshes.</summary>
    public const string GrpcAppProtocol = "kubernetes.io/h2c";
    /// <summary>Where the collector serves the apps' metrics (its Prometheus exporter) for scraping.</summary>
    public const int MetricsPort = 8889;
    /// <summary>The name of <see cref="MetricsPort"/> on the collector's pods and Service (the key under the chart's <c>ports</c>).</summary>
    public const string MetricsPortName = "prom-exporter";

    /// <summary>
    /// The labels the opentelemetry-collector chart (0.170.0) puts on the collector's pods in deployment mode:
    /// selectorLabels (name = the chart's name, instance = the release) plus component (templates/deployment.yaml 39-42,
    /// templates/_helpers.tpl 4-6, 15-18, 80-83).
    /// </summary>
    public static IReadOnlyDictionary<string, string> PodLabels { get; } = new Dictionary<string, string>
    {
        ["app.kubernetes.io/name"] = "opentelemetry-collector",
        ["app.kubernetes.io/instance"] = Service,
        ["component"] = "standalone-collector",
    };

    public static string Host => $"{Service}.{Namespace}.svc.cluster.local";
    public static string GrpcUrl => $"http://{Host}:{GrpcPort}";
    /// <summary>host:port, the form proxies take (no scheme).</summary>
    public static string GrpcAuthority => $"{Host}:{GrpcPort}";
}
