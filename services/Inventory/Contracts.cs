using MeshStack.ServiceDefaults;

namespace MeshStack.Inventory;

public sealed record Product(string Sku, string Name, decimal Price, string Currency, int Stock);

/// <summary>
/// Body of POST /inventory/reservations. <c>currency</c> is optional; when given and not the catalogue's, nothing is
/// reserved (so an order refused for its currency leaves no reservation behind).
/// </summary>
public sealed record ReservationRequest(Guid? OrderId, IReadOnlyList<ReservationItem?>? Items, string? Currency = null)
{
    public const int MaxItems = 50;
    public const int MaxQuantity = 1_000;
    public const int MaxSkuLength = 64;

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (OrderId is null || OrderId == Guid.Empty)
        {
            errors.Add("orderId", "Required.");
        }

        if (Items is null || Items.Count == 0)
        {
            errors.Add("items", "At least one item is required.");
            return errors;
        }

        if (Items.Count > MaxItems)
        {
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
            else if (TextField.Check(item.Sku, MaxSkuLength) is { } problem)
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
}

public sealed record ReservationItem(string? Sku, int? Quantity);

public static class ReservationStatus
{
    /// <summary>Stock taken for an order being placed; expires unless committed or released in time.</summary>
    public const string Held = "held";

    /// <summary>The order is confirmed: the stock stays taken for good.</summary>
    public const string Committed = "committed";

    /// <summary>Given back by the order (declined, cancelled).</summary>
    public const string Released = "released";

    /// <summary>Given back because no order confirmed it in time.</summary>
    public const string Expired = "expired";
}

public sealed record ReservedItem(string Sku, int Quantity, decimal UnitPrice);

public sealed record Reservation(Guid Id, Guid OrderId, string Status, string Currency, decimal Total, IReadOnlyList<ReservedItem> Items);

public sealed record ReleasedReservation(Guid Id, Guid OrderId, string Status);

public sealed record Shortage(string Sku, int Requested, int Available);

public abstract record ReserveOutcome
{
    public sealed record Reserved(Reservation Reservation, bool Replayed) : ReserveOutcome;

    /// <summary>Unknown SKUs or another currency: nothing was reserved.</summary>
    public sealed record Invalid(FieldErrors Errors) : ReserveOutcome;

    public sealed record Short(IReadOnlyList<Shortage> Shortages) : ReserveOutcome;
}
