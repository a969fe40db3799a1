namespace MeshStack.Tracing;

/// <summary>Jaeger v2 in each cluster: one Service, named after the Helm release, for OTLP in and the query UI/API out.</summary>
public static class JaegerEndpoint
{
    public const string Release = "jaeger";
    public const string Service = Release;
    public const int OtlpGrpcPort = 4317;
    public const int UiPort = 16686;
    public const int QueryGrpcPort = 16685;

    public static string Host => $"{Service}.{CollectorEndpoint.Namespace}.svc.cluster.local";
    public static string OtlpGrpcAuthority => $"{Host}:{OtlpGrpcPort}";
}
