using System.Security.Cryptography;
using System.Text.Json;
using MeshStack.Identity;
using MeshStack.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace MeshStack.Order;

/// <summary>
/// POST /orders: validate, record the order as pending (leased to this request), and advance its saga
/// (<see cref="OrderSaga"/>) as far as it goes now.
/// <list type="bullet">
/// <item>201 confirmed; 409 not enough stock (kept as rejected); 402 payment declined (kept as payment_failed,
/// reservation released); 409 failed (could not be completed in time: compensated, nothing charged); 400 invalid fields,
/// unknown SKUs included (nothing kept).</item>
/// <item>503: a dependency did not answer and the order is not finished. It is kept pending and finished by a retry
/// with the same Idempotency-Key or by the recovery process: confirmed if it can be, otherwise compensated (stock back,
/// any charge refunded). A retry with the same key answers the final outcome once there is one.</item>
/// <item>With an Idempotency-Key (per customer), a repeat of the same request answers the first outcome with the same
/// status (header Idempotent-Replayed: true) or continues the pending order; the same key with a different body is
/// 422; while another attempt is advancing the order right now, 409 with Retry-After.</item>
/// </list>
/// </summary>
public sealed class PlaceOrder(OrderStore store, OrderSaga saga, TimeProvider clock, IOptionsMonitor<SagaOptions> options, ILogger<PlaceOrder> logger)
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
        var lease = options.CurrentValue.LeaseSeconds;
        var requestHash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, OrderJson.Default.CreateOrderRequest)));
        var order = new Order(
            Guid.CreateVersion7(), request.CustomerId!, OrderStatus.Pending, request.Currency, Total: null,
            request.Items!.Select(i => new OrderItem(i!.Sku!, i.Quantity!.Value, UnitPrice: null)).ToList(),
            ReservationId: null, PaymentId: null, Failure: null, clock.GetUtcNow());

        if (await store.InsertPendingAsync(order, idempotencyKey, requestHash, lease, ct) is { } existing)
        {
            if (existing.RequestHash != requestHash)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused.",
                    detail: "This Idempotency-Key was already used for a different request.");
            }

            if (OrderStatus.IsTerminal(existing.Order.Status))
            {
                return new Replayed(Outcome(existing.Order));
            }

            // Pending: continue it here, unless another attempt is on it right now.
            if (!await store.TryLeaseAsync(existing.Order.Id, lease, ct))
            {
                return new RetryAfter(OrderProblem(StatusCodes.Status409Conflict, "This order is still being placed; retry later.", existing.Order), Seconds: 1);
            }

            logger.LogInformation("Order {OrderId} continued by a retry with its Idempotency-Key. Trace {TraceId}", existing.Order.Id, OrderSaga.TraceId());
            return new Replayed(await AdvanceAsync(existing.Order, ct));
        }

        return await AdvanceAsync(order, ct);
    }

    private async Task<IResult> AdvanceAsync(Order order, CancellationToken ct)
    {
        switch (await saga.AdvanceAsync(order, ct))
        {
            case SagaResult.Finished finished:
                return Outcome(finished.Order);

            case SagaResult.Invalid invalid:
                // Inventory reserved nothing and nothing was charged: forget the attempt (which frees its key).
                await store.DeleteAsync(order.Id, ct);
                return TypedResults.ValidationProblem(invalid.Errors, title: "The request is invalid.");

            case SagaResult.Waiting waiting:
                // Due again at once: a retry with the key may continue it, or recovery will.
                await store.ReleaseLeaseAsync(order.Id, 0, ct);
                logger.LogWarning("Order {OrderId} answered 503, pending: {Dependency} unavailable ({Reason}). Trace {TraceId}",
                    order.Id, waiting.Dependency, waiting.Reason, OrderSaga.TraceId());
                return new RetryAfter(TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: $"The {waiting.Dependency} service is unavailable.",
                    detail: $"The order is not finished ({waiting.Reason}). It is completed, or cancelled with nothing charged, "
                        + "within the saga's bounds; retrying with the same Idempotency-Key answers its final outcome.",
                    extensions: new Dictionary<string, object?> { ["orderId"] = order.Id, ["orderStatus"] = OrderStatus.Pending }), Seconds: 2);

            case var other:
                throw new InvalidOperationException($"Unhandled saga result {other}");
        }
    }

    private static IResult Outcome(Order order) => order.Status switch
    {
        OrderStatus.Confirmed => TypedResults.Created($"/orders/{order.Id}", order),
        OrderStatus.Rejected => OrderProblem(StatusCodes.Status409Conflict, "Not enough stock.", order),
        OrderStatus.PaymentFailed => OrderProblem(StatusCodes.Status402PaymentRequired, "Payment declined.", order),
        OrderStatus.Failed => OrderProblem(StatusCodes.Status409Conflict, "The order could not be completed.", order),
        _ => OrderProblem(StatusCodes.Status409Conflict, "This order is still being placed; retry later.", order),
    };

    private static IResult OrderProblem(int status, string title, Order order) =>
        TypedResults.Problem(statusCode: status, title: title, detail: order.Failure,
            extensions: new Dictionary<string, object?> { ["orderId"] = order.Id, ["orderStatus"] = order.Status });

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

    /// <summary>A refusal that says when to ask again.</summary>
    private sealed record RetryAfter(IResult Inner, int Seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Inner.ExecuteAsync(httpContext);
        }
    }
}
