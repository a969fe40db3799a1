using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace MeshStack.Order;

/// <summary>Where one attempt at an order left it.</summary>
public abstract record SagaResult
{
    /// <summary>Final and stored.</summary>
    public sealed record Finished(Order Order) : SagaResult;

    /// <summary>Still pending: a dependency did not answer. Nothing is lost; a later attempt continues.</summary>
    public sealed record Waiting(Order Order, string Dependency, string Reason) : SagaResult;

    /// <summary>Inventory refused the items (unknown SKU, another currency) and reserved nothing.</summary>
    public sealed record Invalid(Order Order, IDictionary<string, string[]> Errors) : SagaResult;
}

/// <summary>
/// Placing an order as a saga whose every step is idempotent and keyed by the order id, so any attempt (the request
/// that placed it, a retry with its key, the recovery process after a crash or an outage) can take it further:
/// reserve stock, charge, commit the reservation, record it confirmed. Inventory's commit is the point of no return:
/// a reservation is committed only after its charge succeeded, and committed or released, never both.
/// <list type="bullet">
/// <item>Until Saga:DeadlineSeconds after it was placed, an attempt rolls forward as far as the dependencies let it.</item>
/// <item>After that, or when its reservation expired or its payment was cancelled, it compensates: release the
/// reservation first (once released it can never be committed), then refund the charge (or void it, so a charge still
/// on its way is refused), then record it failed. A reservation found committed means the order did complete: it is
/// recorded confirmed instead.</item>
/// </list>
/// </summary>
public sealed class OrderSaga(
    OrderStore store, InventoryClient inventory, PaymentClient payment, TimeProvider clock,
    IOptionsMonitor<SagaOptions> options, ILogger<OrderSaga> logger)
{
    public async Task<SagaResult> AdvanceAsync(Order order, CancellationToken ct)
    {
        if (OrderStatus.IsTerminal(order.Status))
        {
            return new SagaResult.Finished(order);
        }

        var deadline = TimeSpan.FromSeconds(options.CurrentValue.DeadlineSeconds);
        return clock.GetUtcNow() - order.CreatedAt > deadline
            ? await CompensateAsync(order, $"not completed within {deadline.TotalSeconds:0} s", ct)
            : await RollForwardAsync(order, ct);
    }

    private async Task<SagaResult> RollForwardAsync(Order order, CancellationToken ct)
    {
        switch (await inventory.ReserveAsync(order.Id, order.Items, order.Currency))
        {
            case ReserveResult.Unavailable unavailable:
                return new SagaResult.Waiting(order, "inventory", unavailable.Reason);

            case ReserveResult.Invalid invalid:
                return new SagaResult.Invalid(order, invalid.Errors);

            case ReserveResult.OutOfStock outOfStock:
                return await FinishAsync(order with { Status = OrderStatus.Rejected, Failure = outOfStock.Detail }, ct);

            case ReserveResult.Reserved reserved:
                var priced = Priced(order, reserved);
                return reserved.Status switch
                {
                    ReservationStatus.Held => await ChargeAsync(priced, ct),
                    ReservationStatus.Committed => await ConfirmCommittedAsync(priced, ct),
                    _ => await CompensateAsync(priced, $"its reservation was {reserved.Status}", ct),
                };

            case var other:
                throw new InvalidOperationException($"Unhandled reservation result {other}");
        }
    }

    private async Task<SagaResult> ChargeAsync(Order order, CancellationToken ct)
    {
        switch (await payment.ChargeAsync(order.Id, order.Total!.Value, order.Currency!))
        {
            case ChargeResult.Charged charged:
                var paid = order with { PaymentId = charged.PaymentId };
                return await inventory.CommitAsync(order.ReservationId!.Value) switch
                {
                    Settled.Done => await FinishAsync(paid with { Status = OrderStatus.Confirmed }, ct),
                    Settled.Conflict => await CompensateAsync(paid, "its reservation expired before it was committed", ct),
                    _ => new SagaResult.Waiting(paid, "inventory", "committing the reservation did not succeed"),
                };

            case ChargeResult.Declined declined:
                if (await inventory.ReleaseAsync(order.ReservationId!.Value) != Settled.Done)
                {
                    // Held until it expires (InventoryOptions.ReservationTtlSeconds): nothing is charged either way.
                    logger.LogWarning("Order {OrderId}: payment declined and its reservation {ReservationId} could not be released now; it expires. Trace {TraceId}",
                        order.Id, order.ReservationId, TraceId());
                }

                return await FinishAsync(order with { Status = OrderStatus.PaymentFailed, PaymentId = declined.PaymentId, Failure = "Payment declined." }, ct);

            case ChargeResult.Cancelled:
                return await CompensateAsync(order, "its payment was cancelled", ct);

            case ChargeResult.Unavailable unavailable:
                return new SagaResult.Waiting(order, "payment", unavailable.Reason);

            case var other:
                throw new InvalidOperationException($"Unhandled charge result {other}");
        }
    }

    /// <summary>The reservation is committed, so the charge succeeded: ask for it again (a replay) to record its id.</summary>
    private async Task<SagaResult> ConfirmCommittedAsync(Order order, CancellationToken ct)
    {
        switch (await payment.ChargeAsync(order.Id, order.Total!.Value, order.Currency!))
        {
            case ChargeResult.Charged charged:
                return await FinishAsync(order with { Status = OrderStatus.Confirmed, PaymentId = charged.PaymentId }, ct);
            case ChargeResult.Unavailable unavailable:
                return new SagaResult.Waiting(order, "payment", unavailable.Reason);
            case var other:
                // Cannot happen while commits follow charges and refunds follow releases; kept pending for an operator.
                logger.LogError("Order {OrderId}: reservation committed but payment answers {Charge}; left pending. Trace {TraceId}",
                    order.Id, other, TraceId());
                return new SagaResult.Waiting(order, "payment", $"committed reservation but payment answers {other}");
        }
    }

    private async Task<SagaResult> CompensateAsync(Order order, string reason, CancellationToken ct)
    {
        logger.LogWarning("Compensating order {OrderId}: {Reason}. Trace {TraceId}", order.Id, reason, TraceId());

        // The reservation as it stands (a replay; one made now, if none was, is released straight away). Out of stock
        // or unknown items mean there is none to give back.
        var current = await inventory.ReserveAsync(order.Id, order.Items, order.Currency);
        if (current is ReserveResult.Unavailable unavailable)
        {
            return new SagaResult.Waiting(order, "inventory", unavailable.Reason);
        }

        if (current is ReserveResult.Reserved reserved)
        {
            order = Priced(order, reserved);
            var settled = reserved.Status switch
            {
                ReservationStatus.Held => await inventory.ReleaseAsync(reserved.ReservationId),
                ReservationStatus.Committed => Settled.Conflict,
                _ => Settled.Done,
            };
            switch (settled)
            {
                case Settled.Conflict:
                    logger.LogWarning("Order {OrderId} was completed after all (its reservation is committed): confirming, not compensating. Trace {TraceId}",
                        order.Id, TraceId());
                    return await ConfirmCommittedAsync(order, ct);
                case Settled.Unavailable:
                    return new SagaResult.Waiting(order, "inventory", "releasing the reservation did not succeed");
            }
        }

        if (!await payment.RefundAsync(order.Id))
        {
            return new SagaResult.Waiting(order, "payment", "refunding did not succeed");
        }

        return await FinishAsync(order with
        {
            Status = OrderStatus.Failed,
            Failure = $"The order could not be completed ({reason}); its stock is back and nothing is charged.",
        }, ct);
    }

    private async Task<SagaResult> FinishAsync(Order order, CancellationToken ct)
    {
        var stored = await store.CompleteAsync(order, ct);
        if (stored.Status is OrderStatus.Failed)
        {
            logger.LogWarning("Order {OrderId} failed and was compensated: {Failure}. Trace {TraceId}", stored.Id, stored.Failure, TraceId());
        }

        return new SagaResult.Finished(stored);
    }

    private static Order Priced(Order order, ReserveResult.Reserved reserved) => order with
    {
        Currency = reserved.Currency,
        Total = reserved.Total,
        Items = reserved.Items,
        ReservationId = reserved.ReservationId,
    };

    public static string TraceId() => Activity.Current?.TraceId.ToString() ?? "none";
}
