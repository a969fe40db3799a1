namespace MeshStack.Traffic;

/// <summary>
/// Flagger's analysis of an automated canary. Every <see cref="Interval"/> Flagger checks the canary's metrics
/// (success rate at least <see cref="MinSuccessRatePercent"/>, p99 latency at most <see cref="MaxLatency"/>);
/// <see cref="Threshold"/> failed checks roll it back.
/// Without a header it is a progressive canary: the weight grows by <see cref="StepWeight"/> per passing check up
/// to <see cref="MaxWeight"/>, then Flagger promotes. With a header it is an A/B test (Flagger cannot weight the
/// rest of the traffic while pinning the header to the canary): requests with the header go to the canary, all
/// others stay on the primary, and after <see cref="Iterations"/> passing checks Flagger promotes.
/// </summary>
public sealed record CanaryAnalysis(TimeSpan Interval, int Threshold, int MaxWeight, int StepWeight, int Iterations)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);
    public const int DefaultThreshold = 5;
    public const int DefaultMaxWeight = 50;
    public const int DefaultStepWeight = 10;
    public const int DefaultIterations = 10;

    /// <summary>Minimum share of non-5xx responses of the canary, in percent.</summary>
    public const double MinSuccessRatePercent = 99;

    /// <summary>Meshed requests per second the canary must serve for a check to count at all (Linkerd templates).</summary>
    public const double MinRequestsPerSecond = 1;

    /// <summary>Maximum p99 request duration of the canary.</summary>
    public static readonly TimeSpan MaxLatency = TimeSpan.FromMilliseconds(500);

    public static CanaryAnalysis Default { get; } = new(DefaultInterval, DefaultThreshold, DefaultMaxWeight, DefaultStepWeight, DefaultIterations);
}
