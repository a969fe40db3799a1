namespace MeshStack.Traffic;

/// <summary>
/// Circuit breaking for one service: connection and queue limits (Istio only; Linkerd has no equivalent),
/// and ejection of an endpoint after <see cref="ConsecutiveErrors"/> failures in a row.
/// </summary>
public sealed record CircuitBreaker(
    int MaxConnections,
    int MaxPendingRequests,
    int ConsecutiveErrors,
    TimeSpan Interval,
    TimeSpan BaseEjectionTime,
    int MaxEjectionPercent)
{
    /// <summary>Generous enough not to shed normal load of one replica, tight enough to stop a pile-up.</summary>
    public static CircuitBreaker Default { get; } = new(
        MaxConnections: 100,
        MaxPendingRequests: 50,
        ConsecutiveErrors: 5,
        Interval: TimeSpan.FromSeconds(10),
        BaseEjectionTime: TimeSpan.FromSeconds(15),
        MaxEjectionPercent: 50);
}
