namespace MeshStack.Payment;

/// <summary>Fault drills, section <c>Payment</c>; both off by default.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payment";

    /// <summary>Share of charges declined, 0..1.</summary>
    public double FailureRate { get; set; }

    /// <summary>Latency added before every charge, in milliseconds.</summary>
    public int AddedLatencyMs { get; set; }
}
