using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MeshStack.Payment;

/// <summary>What a charge came to.</summary>
public abstract record ChargeOutcome
{
    public sealed record Charged(Payment Payment, bool Replayed) : ChargeOutcome;

    /// <summary>The order was refunded or voided first: nothing is charged now.</summary>
    public sealed record Cancelled(Payment Payment) : ChargeOutcome;
}

/// <summary>
/// The stand-in for a payment processor, with its ledger in PostgreSQL: one row per order, so a charge is idempotent on
/// the order id across restarts and replicas, payments can be read back after a restart, and a refund (or a void that
/// arrives before the charge) is final.
/// </summary>
public sealed class PaymentLedger(NpgsqlDataSource dataSource, IOptionsMonitor<PaymentOptions> options, TimeProvider clock)
{
    private const string Columns = "id, order_id, amount, currency, status, created_at, refunded_at";

    public async Task<ChargeOutcome> ChargeAsync(PaymentRequest request, CancellationToken ct)
    {
        var drill = options.CurrentValue;
        if (drill.AddedLatencyMs > 0)
        {
            // Before charging: a caller that gives up during the delay leaves no charge behind.
            await Task.Delay(drill.AddedLatencyMs, ct);
        }

        var declined = drill.FailureRate > 0 && Random.Shared.NextDouble() < drill.FailureRate;
        await using var insert = dataSource.CreateCommand(
            $"""
            INSERT INTO payments (id, order_id, amount, currency, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (order_id) DO NOTHING
            RETURNING {Columns}
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.OrderId!.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.Amount!.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = request.Currency!, NpgsqlDbType = NpgsqlDbType.Char });
        insert.Parameters.Add(new NpgsqlParameter { Value = declined ? PaymentStatus.Declined : PaymentStatus.Succeeded });
        insert.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        // The charge is made now: from here on the caller hanging up does not undo it, so it is not cancelled.
        if (await ReadOneAsync(insert, CancellationToken.None) is { } created)
        {
            return new ChargeOutcome.Charged(created, Replayed: false);
        }

        var existing = await FindByOrderAsync(request.OrderId.Value, CancellationToken.None)
            ?? throw new InvalidOperationException($"The payment of order {request.OrderId} conflicted but cannot be found.");
        return existing.Status is PaymentStatus.Refunded or PaymentStatus.Voided
            ? new ChargeOutcome.Cancelled(existing)
            : new ChargeOutcome.Charged(existing, Replayed: true);
    }

    /// <summary>
    /// Gives back what was charged for the order (succeeded becomes refunded), or records a void when nothing was
    /// charged yet, so a charge still on its way is refused. Declined stays declined. Idempotent.
    /// </summary>
    public async Task<Payment> RefundAsync(Guid orderId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO payments AS p (id, order_id, status, created_at) VALUES ($1, $2, '{PaymentStatus.Voided}', $3)
            ON CONFLICT (order_id) DO UPDATE SET
                status = CASE WHEN p.status = '{PaymentStatus.Succeeded}' THEN '{PaymentStatus.Refunded}' ELSE p.status END,
                refunded_at = CASE WHEN p.status = '{PaymentStatus.Succeeded}' THEN $3 ELSE p.refunded_at END
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await ReadOneAsync(command, ct) ?? throw new InvalidOperationException($"The refund of order {orderId} returned nothing.");
    }

    public async Task<Payment?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM payments WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await ReadOneAsync(command, ct);
    }

    private async Task<Payment?> FindByOrderAsync(Guid orderId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM payments WHERE order_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        return await ReadOneAsync(command, ct);
    }

    private static async Task<Payment?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Payment(
                reader.GetGuid(0), reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6))
            : null;
    }
}
