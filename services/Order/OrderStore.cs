using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace MeshStack.Order;

/// <summary>Orders in PostgreSQL. The Idempotency-Key, unique per customer, is what makes a repeated POST one order.</summary>
public sealed class OrderStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, customer_id, status, currency, total, items, reservation_id, payment_id, failure, created_at, request_hash";

    /// <summary>
    /// Records a new pending order. When another order of the same customer already holds <paramref name="idempotencyKey"/>,
    /// nothing is written and that order is returned with the hash of its request.
    /// </summary>
    /// The new order is leased to the caller for <paramref name="leaseSeconds"/>.
    public async Task<(Order Order, string? RequestHash)?> InsertPendingAsync(Order order, string? idempotencyKey, string requestHash, double leaseSeconds, CancellationToken ct)
    {
        // Two rounds: the holder of the key may be deleted (its attempt failed) between our insert and our read.
        for (var round = 0; round < 2; round++)
        {
            await using var command = dataSource.CreateCommand(
                """
                INSERT INTO orders (id, customer_id, status, currency, items, idempotency_key, request_hash, created_at, lease_until, attempts)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9), 1)
                ON CONFLICT (customer_id, idempotency_key) DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = order.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = order.CustomerId });
            command.Parameters.Add(new NpgsqlParameter { Value = order.Status });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Currency ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Char });
            command.Parameters.Add(ItemsParameter(order.Items));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)idempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = requestHash });
            command.Parameters.Add(new NpgsqlParameter { Value = order.CreatedAt });
            command.Parameters.Add(new NpgsqlParameter { Value = leaseSeconds });
            if (await command.ExecuteNonQueryAsync(ct) == 1)
            {
                return null;
            }

            await using var lookup = dataSource.CreateCommand($"SELECT {Columns} FROM orders WHERE customer_id = $1 AND idempotency_key = $2");
            lookup.Parameters.Add(new NpgsqlParameter { Value = order.CustomerId });
            lookup.Parameters.Add(new NpgsqlParameter { Value = idempotencyKey });
            await using var reader = await lookup.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                return (ReadOrder(reader), reader.IsDBNull(10) ? null : reader.GetString(10));
            }
        }

        throw new InvalidOperationException("The Idempotency-Key changed hands twice while this request was being recorded.");
    }

    /// <summary>
    /// Leases a pending order whose lease has run out (nobody is advancing it) to the caller; false when it is not
    /// pending or someone holds it.
    /// </summary>
    public async Task<bool> TryLeaseAsync(Guid id, double leaseSeconds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE orders SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
            WHERE id = $1 AND status = 'pending' AND lease_until <= now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseSeconds });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> pending orders whose lease has run out, oldest lease first, with how many
    /// attempts each has had (this one included). Rows another replica is claiming are skipped, not waited for.
    /// </summary>
    public async Task<IReadOnlyList<(Order Order, int Attempts)>> ClaimDueAsync(int limit, double leaseSeconds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE orders SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
            WHERE id IN (SELECT id FROM orders WHERE status = 'pending' AND lease_until <= now()
                         ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}, attempts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseSeconds });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var claimed = new List<(Order, int)>();
        while (await reader.ReadAsync(ct))
        {
            claimed.Add((ReadOrder(reader), reader.GetInt32(11)));
        }

        return claimed;
    }

    /// <summary>Gives up the lease of a still-pending order: it is due again after <paramref name="retryAfterSeconds"/>.</summary>
    public async Task ReleaseLeaseAsync(Guid id, double retryAfterSeconds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE orders SET lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = retryAfterSeconds });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Writes a pending order's final state. Answers the order as stored: this one, or the final state someone else
    /// wrote first (a final state is never overwritten).
    /// </summary>
    public async Task<Order> CompleteAsync(Order order, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE orders SET status = $2, currency = $3, total = $4, items = $5, reservation_id = $6, payment_id = $7,
                              failure = $8, updated_at = now()
            WHERE id = $1 AND status = 'pending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = order.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = order.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Currency ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Total ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(ItemsParameter(order.Items));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)order.ReservationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)order.PaymentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Failure ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (await command.ExecuteNonQueryAsync(ct) == 1)
        {
            return order;
        }

        return await GetAsync(order.Id, ct) ?? throw new InvalidOperationException($"Order {order.Id} disappeared while being completed.");
    }

    /// <summary>Forgets an attempt that ended with nothing held, which also frees its Idempotency-Key.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM orders WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<Order?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM orders WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadOrder(reader) : null;
    }

    public async Task<IReadOnlyList<Order>> ListAsync(string? customerId, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM orders WHERE ($1::text IS NULL OR customer_id = $1) ORDER BY created_at DESC, id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)customerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var orders = new List<Order>();
        while (await reader.ReadAsync(ct))
        {
            orders.Add(ReadOrder(reader));
        }

        return orders;
    }

    private static NpgsqlParameter ItemsParameter(IReadOnlyList<OrderItem> items) =>
        new() { Value = JsonSerializer.Serialize(items.ToList(), OrderJson.Default.ListOrderItem), NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static Order ReadOrder(NpgsqlDataReader reader) => new(
        Id: reader.GetGuid(0),
        CustomerId: reader.GetString(1),
        Status: reader.GetString(2),
        Currency: reader.IsDBNull(3) ? null : reader.GetString(3),
        Total: reader.IsDBNull(4) ? null : reader.GetDecimal(4),
        Items: JsonSerializer.Deserialize(reader.GetString(5), OrderJson.Default.ListOrderItem) ?? [],
        ReservationId: reader.IsDBNull(6) ? null : reader.GetGuid(6),
        PaymentId: reader.IsDBNull(7) ? null : reader.GetGuid(7),
        Failure: reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(9));
}
