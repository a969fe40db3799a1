using MeshStack.Observability;

namespace MeshStack.Linkerd;

/// <summary>The golden signals (<see cref="GoldenSignalRules"/>) over the Linkerd proxies' metrics.</summary>
public static class LinkerdGoldenSignals
{
    // Linkerd: inbound side of each proxy, labelled with the workload's namespace and deployment.
    private const string LinkerdBy = "namespace, deployment";

    public static IReadOnlyList<RecordingRule> Rules { get; } =
    [
        new(GoldenSignalRules.SuccessRate,
            $"sum by ({LinkerdBy}) (rate(response_total{{direction=\"inbound\",classification=\"success\"}}[5m]))"
            + $" / sum by ({LinkerdBy}) (rate(response_total{{direction=\"inbound\"}}[5m]))"),
        new(GoldenSignalRules.LatencyP99,
            $"histogram_quantile(0.99, sum by (le, {LinkerdBy}) (rate(response_latency_ms_bucket{{direction=\"inbound\"}}[5m])))"),
        new(GoldenSignalRules.MtlsShare,
            $"sum by ({LinkerdBy}) (rate(tcp_open_total{{direction=\"inbound\",tls=\"true\"}}[5m]))"
            + $" / sum by ({LinkerdBy}) (rate(tcp_open_total{{direction=\"inbound\"}}[5m]))"),
    ];
}
