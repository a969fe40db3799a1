namespace MeshStack.Order;

/// <summary>
/// Section <c>Saga</c>: the bounds within which every order reaches a final state. Inventory's
/// ReservationTtlSeconds must exceed <see cref="DeadlineSeconds"/> plus <see cref="LeaseSeconds"/>.
/// </summary>
public sealed class SagaOptions
{
    public const string Section = "Saga";

    /// <summary>
    /// How long one attempt may hold an order before it counts as abandoned (its process died or the database went away)
    /// and recovery takes it over. Longer than one attempt can take: three outgoing calls, each within
    /// Resilience:TotalTimeoutMs.
    /// </summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Until this long after it was placed, an order is completed if it can be; after it, compensated.</summary>
    public int DeadlineSeconds { get; set; } = 60;

    /// <summary>How often recovery looks for pending orders whose lease ran out; 0 turns recovery off.</summary>
    public int RecoveryIntervalSeconds { get; set; } = 5;

    /// <summary>Longest wait between two attempts at one order (the wait doubles from one second up to this).</summary>
    public int MaxRetryDelaySeconds { get; set; } = 30;

    /// <summary>Orders one recovery pass takes on.</summary>
    public int RecoveryBatch { get; set; } = 20;
}
