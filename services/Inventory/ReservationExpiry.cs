using Microsoft.Extensions.Options;

namespace MeshStack.Inventory;

/// <summary>
/// Returns the stock of held reservations nobody committed or released in time (an order process that died, a
/// reservation made after order had given up waiting for it). Each replica sweeps; rows are claimed, not shared.
/// </summary>
public sealed class ReservationExpiry(InventoryStore store, IOptionsMonitor<InventoryOptions> options, ILogger<ReservationExpiry> logger)
    : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<ReleasedReservation> expired;
                do
                {
                    expired = await store.ExpireAsync(Batch, stoppingToken);
                    foreach (var reservation in expired)
                    {
                        logger.LogWarning("Reservation {ReservationId} of order {OrderId} expired unconfirmed after {TtlSeconds} s; its stock is back",
                            reservation.Id, reservation.OrderId, options.CurrentValue.ReservationTtlSeconds);
                    }
                }
                while (expired.Count == Batch);
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Expiring reservations failed, retrying next sweep: {Reason}", exception.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.ExpirySweepSeconds)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
