namespace MeshStack.Tracing;

/// <summary>Where workloads and proxies send OTLP: the OpenTelemetry Collector's Service in each cluster.</summary>
public static class CollectorEndpoint
{
    public const string Namespace = "observability";
    public const string Service = "otel-collector";
    public const int GrpcPort = 4317;
    public const int HttpPort = 4318;

    public static string Host => $"{Service}.{Namespace}.svc.cluster.local";
    public static string GrpcUrl => $"http://{Host}:{GrpcPort}";
}
