using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MeshStack.Order;

/// <summary>
/// Finishes orders nobody is advancing: those whose attempt ended in a 503, whose process died mid-saga, or whose
/// final write met a database outage. Runs at start and every Saga:RecoveryIntervalSeconds, on every replica (orders
/// are leased, not shared); an order still waiting is tried again after a doubling delay (up to
/// Saga:MaxRetryDelaySeconds).
/// </summary>
public sealed class OrderRecovery(IServiceScopeFactory scopes, OrderStore store, TimeProvider clock, IOptionsMonitor<SagaOptions> options, ILogger<OrderRecovery> logger)
    : BackgroundService
{
    public static readonly ActivitySource Source = new("MeshStack.Order.Recovery");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && options.CurrentValue.RecoveryIntervalSeconds > 0)
        {
            var settings = options.CurrentValue;
            var claimed = 0;
            try
            {
                claimed = await RecoverDueAsync(settings, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Order recovery could not reach the database, retrying next pass: {Reason}", exception.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (claimed < settings.RecoveryBatch)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(settings.RecoveryIntervalSeconds), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One pass: claims due orders and advances each once. Answers how many it claimed.</summary>
    public async Task<int> RecoverDueAsync(SagaOptions settings, CancellationToken ct)
    {
        var due = await store.ClaimDueAsync(settings.RecoveryBatch, settings.LeaseSeconds, ct);
        using var scope = scopes.CreateScope();
        var saga = scope.ServiceProvider.GetRequiredService<OrderSaga>();
        // A few at a time: each may wait out timeouts of a dependency that is down.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (claim, token) => await RecoverAsync(saga, claim.Order, claim.Attempts, settings, token));
        return due.Count;
    }

    private async Task RecoverAsync(OrderSaga saga, Order order, int attempts, SagaOptions settings, CancellationToken ct)
    {
        using var activity = Source.StartActivity("recover order");
        activity?.SetTag("order.id", order.Id.ToString());
        var age = (clock.GetUtcNow() - order.CreatedAt).TotalSeconds;
        logger.LogInformation("Recovering order {OrderId}: attempt {Attempt}, pending for {AgeSeconds:0.0} s. Trace {TraceId}",
            order.Id, attempts, age, OrderSaga.TraceId());
        try
        {
            var result = await saga.AdvanceAsync(order, ct);
            if (result is SagaResult.Invalid invalid)
            {
                // Items inventory no longer accepts: nothing was reserved or charged.
                result = new SagaResult.Finished(await store.CompleteAsync(order with
                {
                    Status = OrderStatus.Rejected,
                    Failure = "Inventory refused the items: " + string.Join(" ", invalid.Errors.SelectMany(e => e.Value)),
                }, ct));
            }

            switch (result)
            {
                case SagaResult.Finished finished:
                    logger.LogWarning("Order {OrderId} was stuck pending for {AgeSeconds:0.0} s and is now {Status} (recovered, attempt {Attempt}). Trace {TraceId}",
                        order.Id, age, finished.Order.Status, attempts, OrderSaga.TraceId());
                    break;
                case SagaResult.Waiting waiting:
                    var delay = Math.Min(Math.Pow(2, Math.Min(attempts, 16) - 1), settings.MaxRetryDelaySeconds);
                    await store.ReleaseLeaseAsync(order.Id, delay, ct);
                    logger.LogInformation("Order {OrderId} still pending: {Dependency} unavailable ({Reason}); next attempt in {DelaySeconds} s. Trace {TraceId}",
                        order.Id, waiting.Dependency, waiting.Reason, delay, OrderSaga.TraceId());
                    break;
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            // The lease runs out and the order is due again.
            logger.LogWarning("Recovering order {OrderId} met a database failure; due again when its lease ends: {Reason}. Trace {TraceId}",
                order.Id, exception.Message, OrderSaga.TraceId());
        }
    }
}
