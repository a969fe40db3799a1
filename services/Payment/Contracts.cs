using System.Text.RegularExpressions;
using MeshStack.ServiceDefaults;

namespace MeshStack.Payment;

public static class PaymentStatus
{
    public const string Succeeded = "succeeded";
    public const string Declined = "declined";

    /// <summary>Was succeeded; the money went back because the order could not be completed.</summary>
    public const string Refunded = "refunded";

    /// <summary>Cancelled before any charge: a charge for this order arriving later is refused.</summary>
    public const string Voided = "voided";
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

        if (Amount is null or <= 0 or >= 10_000_000_000m)
        {
            errors.Add("amount", "Must be greater than zero and less than 10,000,000,000.");
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

/// <summary>Body of POST /payments/refunds: undo whatever was charged for the order, and refuse any later charge.</summary>
public sealed record RefundRequest(Guid? OrderId)
{
    public FieldErrors Validate() =>
        OrderId is null || OrderId == Guid.Empty ? new FieldErrors().Add("orderId", "Required.") : new FieldErrors();
}

/// <summary>One order's entry in the ledger. A void has no amount: nothing was charged.</summary>
public sealed record Payment(Guid Id, Guid OrderId, decimal? Amount, string? Currency, string Status, DateTimeOffset CreatedAt, DateTimeOffset? RefundedAt);
