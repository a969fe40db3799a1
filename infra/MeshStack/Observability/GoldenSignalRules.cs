namespace MeshStack.Observability;

/// <summary>
/// The mesh's golden signals as recording rules, per destination workload: request success rate, P99 latency
/// and the share of mTLS traffic. Each mesh names its metrics differently; the recorded series are the same,
/// so dashboards and alerts read one name whatever the mesh. Each mesh's expressions live with the mesh
/// (<see cref="IMeshObservability.GoldenSignals"/>).
/// </summary>
public static class GoldenSignalRules
{
    public const string GroupName = "mesh-golden-signals";
    public const string Interval = "30s";

    public const string SuccessRate = "mesh:request_success_rate:ratio_rate5m";
    public const string LatencyP99 = "mesh:request_duration_ms:p99_rate5m";
    public const string MtlsShare = "mesh:mtls_share:ratio_rate5m";
}
