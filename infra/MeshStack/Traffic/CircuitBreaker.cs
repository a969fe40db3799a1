namespace MeshStack.Traffic;

/// <summary>
/// Circuit breaking for one service: connection and queue limits (Istio only; Linkerd has no equivalent),
/// a retry budget (<see cref="MaxRetries"/>: retries outstanding to the service at once, Istio only; istiod otherwise
/// leaves Envoy's limit at 2^32-1, i.e. none), and ejection of an endpoint after <see cref="ConsecutiveErrors"/>
/// failures in a row.
/// </summary>
public sealed record CircuitBreaker(
    int MaxConnections,
    int MaxPendingRequests,
    int MaxRetries,
    int ConsecutiveErrors,
    TimeSpan Interval,
    TimeSpan BaseEjectionTime,
    int MaxEjectionPercent)
{
    /// <summary>Generous enough not to shed normal load of one replica, tight enough to stop a pile-up.</summary>
    public static CircuitBreaker Default { get; } = new(
        MaxConnections: 100,
        MaxPendingRequests: 50,
        // a fifth of the connection limit: retries can add at most a fifth to the load a failing service sees
        MaxRetries: 20,
        ConsecutiveErrors: 5,
        Interval: TimeSpan.FromSeconds(10),
        BaseEjectionTime: TimeSpan.FromSeconds(15),
        MaxEjectionPercent: 50);
}
