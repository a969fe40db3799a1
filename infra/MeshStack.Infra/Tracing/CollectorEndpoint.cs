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

    public static string Host => $"{Service}.{Namespace}.svc.cluster.local";
    public static string GrpcUrl => $"http://{Host}:{GrpcPort}";
    /// <summary>host:port, the form proxies take (no scheme).</summary>
    public static string GrpcAuthority => $"{Host}:{GrpcPort}";
}
