using System.Text.RegularExpressions;
using MeshStack.ServiceDefaults;

namespace MeshStack.Order;

/// <summary>Body of POST /orders. <c>currency</c> is optional; when given it must be the catalogue's.</summary>
public sealed partial record CreateOrderRequest(string? CustomerId, IReadOnlyList<OrderItemRequest?>? Items, string? Currency)
{
    public const int MaxItems = 50;
    public const int MaxQuantity = 1_000;
    public const int MaxTextLength = 64;

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(CustomerId))
        {
            errors.Add("customerId", "Required.");
        }
        else if (TextField.Check(CustomerId, MaxTextLength) is { } problem)
        {
            errors.Add("customerId", problem);
        }

        if (Currency is not null && !CurrencyCode().IsMatch(Currency))
        {
            errors.Add("currency", "Must be an ISO 4217 code such as USD.");
        }

        if (Items is null || Items.Count == 0)
        {
            errors.Add("items", "At least one item is required.");
            return errors;
        }

        if (Items.Count > MaxItems)
        {
            // Not each item as well: the answer stays small however many were sent.
            errors.Add("items", $"At most {MaxItems} items.");
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            if (item is null)
            {
                errors.Add($"items[{i}]", "Required.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.Sku))
            {
                errors.Add($"items[{i}].sku", "Required.");
            }
            else if (TextField.Check(item.Sku, MaxTextLength) is { } problem)
            {
                errors.Add($"items[{i}].sku", problem);
            }
            else if (!seen.Add(item.Sku))
            {
                errors.Add($"items[{i}].sku", "Appears more than once; combine the quantities.");
            }

            if (item.Quantity is null or < 1 or > MaxQuantity)
            {
                errors.Add($"items[{i}].quantity", $"Must be between 1 and {MaxQuantity}.");
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}

public sealed record OrderItemRequest(string? Sku, int? Quantity);

public static class OrderStatus
{
    /// <summary>Being placed, now or by the recovery process after a fault; never for longer than the saga's bounds.</summary>
    public const string Pending = "pending";

    /// <summary>Stock reserved and payment taken.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>Not enough stock.</summary>
    public const string Rejected = "rejected";

    /// <summary>Payment declined; the reservation was released.</summary>
    public const string PaymentFailed = "payment_failed";

    /// <summary>Could not be completed in time (a dependency stayed down, the reservation expired): compensated, so the
    /// stock is back and any charge refunded.</summary>
    public const string Failed = "failed";

    public static bool IsTerminal(string status) => status != Pending;
}

/// <summary><c>unitPrice</c> is known once stock is reserved (null for orders that never got that far).</summary>
public sealed record OrderItem(string Sku, int Quantity, decimal? UnitPrice);

public sealed record Order(
    Guid Id,
    string CustomerId,
    string Status,
    string? Currency,
    decimal? Total,
    IReadOnlyList<OrderItem> Items,
    Guid? ReservationId,
    Guid? PaymentId,
    string? Failure,
    DateTimeOffset CreatedAt);
