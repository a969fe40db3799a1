using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace MeshStack.Order;

/// <summary>What a reservation attempt came to, as far as the order is concerned.</summary>
public abstract record ReserveResult
{
    /// <summary>The order's reservation, new or made before; <see cref="Status"/> says whether it still holds stock.</summary>
    public sealed record Reserved(Guid ReservationId, string Status, string Currency, decimal Total, IReadOnlyList<OrderItem> Items) : ReserveResult;

    /// <summary>Inventory rejected fields (unknown SKU, another currency); its field names match ours.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : ReserveResult;

    public sealed record OutOfStock(string Detail) : ReserveResult;

    public sealed record Unavailable(string Reason) : ReserveResult;
}

/// <summary>Inventory's reservation statuses, as order reads them.</summary>
public static class ReservationStatus
{
    public const string Held = "held";
    public const string Committed = "committed";
    public const string Released = "released";
    public const string Expired = "expired";
}

public abstract record ChargeResult
{
    public sealed record Charged(Guid PaymentId) : ChargeResult;

    public sealed record Declined(Guid? PaymentId) : ChargeResult;

    /// <summary>The order's payment was refunded or voided before this charge: nothing is charged.</summary>
    public sealed record Cancelled : ChargeResult;

    public sealed record Unavailable(string Reason) : ChargeResult;
}

/// <summary>Where a reservation stands after asking inventory to release or commit it.</summary>
public enum Settled
{
    /// <summary>It is now what was asked (or was already).</summary>
    Done,

    /// <summary>It had already gone the other way (committed when releasing; released or expired when committing).</summary>
    Conflict,

    Unavailable,
}

/// <summary>
/// Calls to inventory. Every call carries the order id (or reservation id) as Idempotency-Key, as each is idempotent,
/// so the shared resilience handler may retry it.
/// </summary>
public sealed class InventoryClient(HttpClient http)
{
    /// <summary><paramref name="currency"/> (optional) makes inventory refuse, reserving nothing, if it is not the catalogue's.</summary>
    public async Task<ReserveResult> ReserveAsync(Guid orderId, IReadOnlyList<OrderItem> items, string? currency)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/inventory/reservations")
        {
            Content = JsonContent.Create(new ReservationRequest(orderId, items.Select(i => new ReservationItem(i.Sku, i.Quantity)).ToList(), currency), OrderJson.Default.ReservationRequest),
        };
        request.Headers.Add(PlaceOrder.IdempotencyKeyHeader, orderId.ToString());
        try
        {
            using var response = await http.SendAsync(request);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.Created:
                    var reservation = await response.Content.ReadFromJsonAsync(OrderJson.Default.ReservationResponse)
                        ?? throw new HttpRequestException("inventory answered an empty reservation");
                    return new ReserveResult.Reserved(reservation.Id, reservation.Status, reservation.Currency, reservation.Total,
                        reservation.Items.Select(i => new OrderItem(i.Sku, i.Quantity, i.UnitPrice)).ToList());
                case HttpStatusCode.BadRequest:
                    var invalid = await response.Content.ReadFromJsonAsync(OrderJson.Default.HttpValidationProblemDetails);
                    return new ReserveResult.Invalid(invalid?.Errors ?? new Dictionary<string, string[]>());
                case HttpStatusCode.Conflict:
                    var problem = await response.Content.ReadFromJsonAsync(OrderJson.Default.ProblemDetails);
                    return new ReserveResult.OutOfStock(problem?.Detail ?? "Not enough stock.");
                default:
                    return new ReserveResult.Unavailable($"inventory answered {(int)response.StatusCode}");
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            return new ReserveResult.Unavailable(exception.Message);
        }
    }

    /// <summary>Gives the stock back; <see cref="Settled.Conflict"/> when the reservation was committed.</summary>
    public Task<Settled> ReleaseAsync(Guid reservationId) => SettleAsync(reservationId, "release");

    /// <summary>Keeps the stock for good; <see cref="Settled.Conflict"/> when the reservation was released or expired.</summary>
    public Task<Settled> CommitAsync(Guid reservationId) => SettleAsync(reservationId, "commit");

    private async Task<Settled> SettleAsync(Guid reservationId, string action)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/inventory/reservations/{reservationId}/{action}");
        request.Headers.Add(PlaceOrder.IdempotencyKeyHeader, $"{reservationId}-{action}");
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => Settled.Done,
                HttpStatusCode.Conflict => Settled.Conflict,
                _ => Settled.Unavailable,
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
        {
            return Settled.Unavailable;
        }
    }
}

/// <summary>Calls to payment, keyed by order id like inventory's.</summary>
public sealed class PaymentClient(HttpClient http)
{
    public async Task<ChargeResult> ChargeAsync(Guid orderId, decimal amount, string currency)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = JsonContent.Create(new PaymentRequest(orderId, amount, currency), OrderJson.Default.PaymentRequest),
        };
        request.Headers.Add(PlaceOrder.IdempotencyKeyHeader, orderId.ToString());
        try
        {
            using var response = await http.SendAsync(request);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.Created:
                    var payment = await response.Content.ReadFromJsonAsync(OrderJson.Default.PaymentResponse)
                        ?? throw new HttpRequestException("payment answered an empty payment");
                    return new ChargeResult.Charged(payment.Id);
                case HttpStatusCode.PaymentRequired:
                    var declined = await response.Content.ReadFromJsonAsync(OrderJson.Default.DeclinedResponse);
                    return new ChargeResult.Declined(declined?.Payment?.Id);
                case HttpStatusCode.Conflict:
                    return new ChargeResult.Cancelled();
                default:
                    return new ChargeResult.Unavailable($"payment answered {(int)response.StatusCode}");
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            return new ChargeResult.Unavailable(exception.Message);
        }
    }

    /// <summary>Refunds the order's charge, or voids it if none was made yet (a late charge is then refused). True when done.</summary>
    public async Task<bool> RefundAsync(Guid orderId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/refunds")
        {
            Content = JsonContent.Create(new RefundRequest(orderId), OrderJson.Default.RefundRequest),
        };
        request.Headers.Add(PlaceOrder.IdempotencyKeyHeader, $"{orderId}-refund");
        try
        {
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
        {
            return false;
        }
    }
}

// What order sends to and reads from inventory and payment: only the fields it uses.
internal sealed record ReservationRequest(Guid OrderId, IReadOnlyList<ReservationItem> Items, string? Currency);

internal sealed record ReservationItem(string Sku, int Quantity);

internal sealed record ReservationResponse(Guid Id, string Status, string Currency, decimal Total, IReadOnlyList<ReservedItem> Items);

internal sealed record ReservedItem(string Sku, int Quantity, decimal UnitPrice);

internal sealed record PaymentRequest(Guid OrderId, decimal Amount, string Currency);

internal sealed record RefundRequest(Guid OrderId);

internal sealed record PaymentResponse(Guid Id, string Status);

internal sealed record DeclinedResponse(PaymentResponse? Payment);
