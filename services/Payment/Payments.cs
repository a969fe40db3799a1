using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MeshStack.ServiceDefaults;
using Microsoft.Extensions.Options;

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

public static class PaymentStatus
{
    public const string Succeeded = "succeeded";
    public const string Declined = "declined";
}

public sealed partial record PaymentRequest(Guid? OrderId, decimal? Amount, string? Currency)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (OrderId is null || OrderId == Guid.Empty)
        {
            errors.Add("orderId", "Required.");
        }

        if (Amount is null or <= 0)
        {
            errors.Add("amount", "Must be greater than zero.");
        }

        if (Currency is null || !CurrencyCode().IsMatch(Currency))
        {
            errors.Add("currency", "Must be an ISO 4217 code such as USD.");
        }

        return errors;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}

public sealed record Payment(Guid Id, Guid OrderId, decimal Amount, string Currency, string Status, DateTimeOffset CreatedAt);

/// <summary>
/// The stand-in for a payment processor: an in-memory ledger of charges, one per order.
/// It holds no state the shop must keep (orders record their payment id), so it needs no database.
/// </summary>
public sealed class PaymentLedger(IOptionsMonitor<PaymentOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Payment>> _byOrder = new();
    private readonly ConcurrentDictionary<Guid, Payment> _byId = new();

    public async Task<(Payment Payment, bool Replayed)> ChargeAsync(PaymentRequest request, CancellationToken ct)
    {
        var drill = options.CurrentValue;
        if (drill.AddedLatencyMs > 0)
        {
            // Before charging: a caller that gives up during the delay leaves no charge behind.
            await Task.Delay(drill.AddedLatencyMs, ct);
        }

        var orderId = request.OrderId!.Value;
        var created = false;
        var payment = _byOrder.GetOrAdd(orderId, _ => new Lazy<Payment>(() =>
        {
            created = true;
            var declined = drill.FailureRate > 0 && Random.Shared.NextDouble() < drill.FailureRate;
            return new Payment(Guid.CreateVersion7(), orderId, request.Amount!.Value, request.Currency!,
                declined ? PaymentStatus.Declined : PaymentStatus.Succeeded, clock.GetUtcNow());
        })).Value;
        _byId.TryAdd(payment.Id, payment);
        return (payment, !created);
    }

    public Payment? Find(Guid id) => _byId.GetValueOrDefault(id);
}
