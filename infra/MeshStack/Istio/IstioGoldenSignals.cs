using MeshStack.Observability;

namespace MeshStack.Istio;

/// <summary>The golden signals (<see cref="GoldenSignalRules"/>) over Istio's standard metrics.</summary>
public static class IstioGoldenSignals
{
    // Istio: the server-side proxy reports (reporter="destination"), so each request is counted once.
    private const string IstioBy = "destination_workload_namespace, destination_workload";

    public static IReadOnlyList<RecordingRule> Rules { get; } =
    [
        new(GoldenSignalRules.SuccessRate,
            $"sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\",response_code!~\"5..\"}}[5m]))"
            + $" / sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\"}}[5m]))"),
        new(GoldenSignalRules.LatencyP99,
            $"histogram_quantile(0.99, sum by (le, {IstioBy}) (rate(istio_request_duration_milliseconds_bucket{{reporter=\"destination\"}}[5m])))"),
        // HTTP services report the connection's security on every request; TCP ones on their connections
        new(GoldenSignalRules.MtlsShare,
            $"sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\",connection_security_policy=\"mutual_tls\"}}[5m]))"
            + $" / sum by ({IstioBy}) (rate(istio_requests_total{{reporter=\"destination\"}}[5m]))"),
    ];
}
