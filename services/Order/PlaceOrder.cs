using System.Security.Cryptography;
using System.Text.Json;
using MeshStack.Identity;
using MeshStack.ServiceDefaults;

namespace MeshStack.Order;

/// <summary>
/// POST /orders as a small saga: record the order as pending, reserve stock at inventory, charge at payment,
/// and give the stock back when the charge does not go through.
/// <list type="bullet">
/// <item>201 confirmed; 409 not enough stock (order kept as rejected); 402 payment declined (kept as payment_failed,
/// reservation released); 400 invalid fields, including unknown SKUs (nothing kept);
/// 503 inventory or payment unavailable or too slow (reservation released, nothing kept, so the same
/// Idempotency-Key may be retried).</item>
/// <item>With an Idempotency-Key, a repeat of the same request answers the first outcome with the same status
/// (header Idempotent-Replayed: true); the same key with a different body is 422; while the first is still
/// running, 409.</item>
/// </list>
/// </summary>
public sealed class PlaceOrder(OrderStore store, InventoryClient inventory, PaymentClient payment, TimeProvider clock, ILogger<PlaceOrder> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task<IResult> ExecuteAsync(CreateOrderRequest request, string? idempotencyKey, Caller caller)
    {
        (request, var refusal) = OrderAccess.ForPlacing(caller, request);
        if (refusal is not null)
        {
            return refusal;
        }

        var errors = request.Validate();
        if (idempotencyKey is not null && !IsUsableKey(idempotencyKey))
        {
            errors.Add(IdempotencyKeyHeader, "Must be 1 to 255 printable ASCII characters.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var ct = CancellationToken.None;
        var requestHash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, OrderJson.Default.CreateOrderRequest)));
        var order = new Order(
            Guid.CreateVersion7(), request.CustomerId!, OrderStatus.Pending, request.Currency, Total: null,
            request.Items!.Select(i => new OrderItem(i!.Sku!, i.Quantity!.Value, UnitPrice: null)).ToList(),
            ReservationId: null, PaymentId: null, Failure: null, clock.GetUtcNow());

        if (await store.InsertPendingAsync(order, idempotencyKey, requestHash, ct) is { } existing)
        {
            return existing.RequestHash == requestHash
                ? new Replayed(Outcome(existing.Order))
                : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused.",
                    detail: "This Idempotency-Key was already used for a different request.");
        }

        switch (await inventory.ReserveAsync(order.Id, order.Items, request.Currency))
        {
            case ReserveResult.Unavailable unavailable:
                await store.DeleteAsync(order.Id, ct);
                return Unavailable("inventory", unavailable.Reason);

            case ReserveResult.Invalid invalid:
                await store.DeleteAsync(order.Id, ct);
                return TypedResults.ValidationProblem(invalid.Errors, title: "The request is invalid.");

            case ReserveResult.OutOfStock outOfStock:
                var rejected = order with { Status = OrderStatus.Rejected, Failure = outOfStock.Detail };
                await store.CompleteAsync(rejected, ct);
                return Outcome(rejected);

            case ReserveResult.Reserved reserved:
                return await ChargeAsync(request, order, reserved, ct);

            case var other:
                throw new InvalidOperationException($"Unhandled reservation result {other}");
        }
    }

    private async Task<IResult> ChargeAsync(CreateOrderRequest request, Order order, ReserveResult.Reserved reserved, CancellationToken ct)
    {
        var priced = order with
        {
            Currency = reserved.Currency,
            Total = reserved.Total,
            Items = reserved.Items,
            ReservationId = reserved.ReservationId,
        };

        switch (await payment.ChargeAsync(order.Id, reserved.Total, reserved.Currency))
        {
            case ChargeResult.Charged charged:
                var confirmed = priced with { Status = OrderStatus.Confirmed, PaymentId = charged.PaymentId };
                await store.CompleteAsync(confirmed, ct);
                return Outcome(confirmed);

            case ChargeResult.Declined declined:
                var released = await ReleaseAsync(order, reserved.ReservationId);
                var failed = priced with
                {
                    Status = OrderStatus.PaymentFailed,
                    PaymentId = declined.PaymentId,
                    Failure = released ? "Payment declined." : "Payment declined; the stock could not be released yet.",
                };
                await store.CompleteAsync(failed, ct);
                return Outcome(failed);

            case ChargeResult.Unavailable unavailable:
                await ReleaseAsync(order, reserved.ReservationId);
                await store.DeleteAsync(order.Id, ct);
                return Unavailable("payment", unavailable.Reason);

            case var other:
                throw new InvalidOperationException($"Unhandled charge result {other}");
        }
    }

    private async Task<bool> ReleaseAsync(Order order, Guid reservationId)
    {
        var released = await inventory.ReleaseAsync(reservationId);
        if (!released)
        {
            // The reservation stays held; it is recorded on the order so it can be released by hand.
            logger.LogError("Could not release reservation {ReservationId} of order {OrderId}", reservationId, order.Id);
        }

        return released;
    }

    private static IResult Outcome(Order order) => order.Status switch
    {
        OrderStatus.Confirmed => TypedResults.Created($"/orders/{order.Id}", order),
        OrderStatus.Rejected => OrderProblem(StatusCodes.Status409Conflict, "Not enough stock.", order),
        OrderStatus.PaymentFailed => OrderProblem(StatusCodes.Status402PaymentRequired, "Payment declined.", order),
        _ => OrderProblem(StatusCodes.Status409Conflict, "This order is still being placed; retry later.", order),
    };

    private static IResult OrderProblem(int status, string title, Order order) =>
        TypedResults.Problem(statusCode: status, title: title, detail: order.Failure,
            extensions: new Dictionary<string, object?> { ["orderId"] = order.Id, ["orderStatus"] = order.Status });

    private static IResult Unavailable(string dependency, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: $"The {dependency} service is unavailable.",
            detail: $"No order was placed ({reason}). Retrying with the same Idempotency-Key is safe.");

    private static bool IsUsableKey(string key) =>
        key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and < (char)127);

    /// <summary>The first outcome again, marked as a replay.</summary>
    private sealed class Replayed(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[ReplayedHeader] = "true";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
