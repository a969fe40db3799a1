using MeshStack.Config;

namespace MeshStack.Observability;

/// <summary>
/// The mesh's golden signals as recording rules, per destination workload: request success rate, P99 latency
/// and the share of mTLS traffic. Each mesh names its metrics differently; the recorded series are the same,
/// so dashboards and alerts read one name whatever the mesh.
/// </summary>
public static class GoldenSignalRules
{
    public const string GroupName = "mesh-golden-signals";
    public const string Interval = "30s";

    public const string SuccessRate = "mesh:request_success_rate:ratio_rate5m";
    public const string LatencyP99 = "mesh:request_duration_ms:p99_rate5m";
    public const string MtlsShare = "mesh:mtls_share:ratio_rate5m";

    public static IReadOnlyList<RecordingRule> For(MeshKind mesh) => mesh == MeshKind.Istio ? Istio : Linkerd;

    // Istio: the server-side proxy reports (reporter="destination"), so each request is counted once.
    private const string IstioBy = "destination_workload_namespace, destination_workload";

    private static readonly IReadOnlyList<RecordingRule> Istio =
    [
        new(SuccessRate,
            $"sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\",response_code!~\"5..\"}}[5m]))"
            + $" / sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\"}}[5m]))"),
        new(LatencyP99,
            $"histogram_quantile(0.99, sum by (le, {IstioBy}) (rate(istio_request_duration_milliseconds_bucket{{reporter=\"destination\"}}[5m])))"),
        // HTTP services report the connection's security on every request; TCP ones on their connections
        new(MtlsShare,
            $"sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\",connection_security_policy=\"mutual_tls\"}}[5m]))"
            + $" / sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\"}}[5m]))"),
    ];

    // Linkerd: inbound side of each proxy, labelled with the workload's namespace and deployment.
    private const string LinkerdBy = "namespace, deployment";

    private static readonly IReadOnlyList<RecordingRule> Linkerd =
    [
        new(SuccessRate,
            $"sum by ({LinkerdBy}) (rate(response_total{{direction=\"inbound\",classification=\"success\"}}[5m]))"
            + $" / sum by ({LinkerdBy}) (rate(response_total{{direction=\"inbound\"}}[5m]))"),
        new(LatencyP99,
            $"histogram_quantile(0.99, sum by (le, {LinkerdBy}) (rate(response_latency_ms_bucket{{direction=\"inbound\"}}[5m])))"),
        new(MtlsShare,
            $"sum by ({LinkerdBy}) (rate(tcp_open_total{{direction=\"inbound\",tls=\"true\"}}[5m]))"
            + $" / sum by ({LinkerdBy}) (rate(tcp_open_total{{direction=\"inbound\"}}[5m]))"),
    ];
}
