namespace MeshStack.Traffic;

/// <summary>What makes an attempt worth retrying.</summary>
public enum RetryCondition { ServerError, Reset, ConnectFailure }

/// <summary>
/// Retries of one route: <see cref="Attempts"/> retries after the first try, each try bounded by
/// <see cref="PerTryTimeout"/>. Only ever built for idempotent routes.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan PerTryTimeout, IReadOnlyList<RetryCondition> On)
{
    public static readonly IReadOnlyList<RetryCondition> TransientFailures =
        [RetryCondition.ServerError, RetryCondition.Reset, RetryCondition.ConnectFailure];

    /// <summary>Per-try timeout that lets every attempt fit in the route's timeout, rounded down to 100 ms.</summary>
    public static RetryPolicy Within(TimeSpan routeTimeout, int attempts)
    {
        var perTry = TimeSpan.FromMilliseconds(Math.Floor(routeTimeout.TotalMilliseconds / (attempts + 1) / 100) * 100);
        return new RetryPolicy(attempts, perTry, TransientFailures);
    }
}
