using MeshStack.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MeshStack.Inventory;

/// <summary>Stock and reservations in PostgreSQL; every change is one transaction, so replicas agree.</summary>
public sealed class InventoryStore(NpgsqlDataSource dataSource, IOptionsMonitor<InventoryOptions> options)
{
    private const string UniqueViolation = "23505";

    public async Task<IReadOnlyList<Product>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT sku, name, price, currency, stock FROM products ORDER BY sku");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var products = new List<Product>();
        while (await reader.ReadAsync(ct))
        {
            products.Add(ReadProduct(reader));
        }

        return products;
    }

    public async Task<Product?> GetAsync(string sku, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT sku, name, price, currency, stock FROM products WHERE sku = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadProduct(reader) : null;
    }

    public async Task<ReserveOutcome> ReserveAsync(ReservationRequest request, CancellationToken ct)
    {
        var orderId = request.OrderId!.Value;
        var items = request.Items!.Select(i => (Sku: i!.Sku!, Quantity: i.Quantity!.Value)).ToList();

        if (await FindByOrderAsync(orderId, ct) is { } existing)
        {
            return new ReserveOutcome.Reserved(existing, Replayed: true);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // Lock the rows in SKU order, so two reservations over the same SKUs cannot deadlock.
        var stock = new Dictionary<string, (decimal Price, string Currency, int Stock)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT sku, price, currency, stock FROM products WHERE sku = ANY($1) ORDER BY sku FOR UPDATE", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Sku).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                stock[reader.GetString(0)] = (reader.GetDecimal(1), reader.GetString(2), reader.GetInt32(3));
            }
        }

        var unknown = new FieldErrors();
        for (var i = 0; i < items.Count; i++)
        {
            if (!stock.ContainsKey(items[i].Sku))
            {
                unknown.Add($"items[{i}].sku", $"Unknown SKU '{items[i].Sku}'.");
            }
        }

        if (unknown.IsEmpty && request.Currency is { } currency && stock.Values.FirstOrDefault(p => p.Currency != currency) is { Currency: { } priced })
        {
            unknown.Add("currency", $"The catalogue is priced in {priced}.");
        }

        if (!unknown.IsEmpty)
        {
            return new ReserveOutcome.Invalid(unknown);
        }

        var shortages = items
            .Where(i => stock[i.Sku].Stock < i.Quantity)
            .Select(i => new Shortage(i.Sku, i.Quantity, stock[i.Sku].Stock))
            .ToList();
        if (shortages.Count > 0)
        {
            return new ReserveOutcome.Short(shortages);
        }

        var reserved = items.Select(i => new ReservedItem(i.Sku, i.Quantity, stock[i.Sku].Price)).ToList();
        var reservation = new Reservation(
            Guid.CreateVersion7(), orderId, ReservationStatus.Held, stock[items[0].Sku].Currency, reserved.Sum(i => i.UnitPrice * i.Quantity), reserved);

        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    UPDATE products AS p SET stock = p.stock - r.quantity
                    FROM unnest($1::text[], $2::integer[]) AS r (sku, quantity)
                    WHERE p.sku = r.sku
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = items.Select(i => i.Sku).ToArray() },
                        new NpgsqlParameter { Value = items.Select(i => i.Quantity).ToArray() },
                    },
                },
                new NpgsqlBatchCommand(
                    $"INSERT INTO reservations (id, order_id, status, currency, expires_at) VALUES ($1, $2, '{ReservationStatus.Held}', $3, now() + make_interval(secs => $4))")
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = reservation.Id },
                        new NpgsqlParameter { Value = orderId },
                        new NpgsqlParameter { Value = reservation.Currency },
                        new NpgsqlParameter { Value = (double)options.CurrentValue.ReservationTtlSeconds },
                    },
                },
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO reservation_lines (reservation_id, line, sku, quantity, unit_price)
                    SELECT $1, r.line, r.sku, r.quantity, r.unit_price
                    FROM unnest($2::text[], $3::integer[], $4::numeric[]) WITH ORDINALITY AS r (sku, quantity, unit_price, line)
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = reservation.Id },
                        new NpgsqlParameter { Value = reserved.Select(i => i.Sku).ToArray() },
                        new NpgsqlParameter { Value = reserved.Select(i => i.Quantity).ToArray() },
                        new NpgsqlParameter { Value = reserved.Select(i => i.UnitPrice).ToArray() },
                    },
                },
            },
        };

        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            return new ReserveOutcome.Reserved(reservation, Replayed: false);
        }
        catch (PostgresException exception) when (exception.SqlState == UniqueViolation)
        {
            // The same order reserved concurrently and won: answer with its reservation.
            await transaction.RollbackAsync(ct);
            return await FindByOrderAsync(orderId, ct) is { } winner
                ? new ReserveOutcome.Reserved(winner, Replayed: true)
                : throw new InvalidOperationException($"Reservation for order {orderId} conflicted but cannot be found.", exception);
        }
    }

    /// <summary>
    /// Moves a held reservation to <paramref name="target"/>: released (the stock goes back) or committed (the stock
    /// stays taken: the order is confirmed, and the reservation never expires or is released after that). Exactly one
    /// of commit, release and expiry wins for a reservation. Answers the status it has afterwards: the target, or the
    /// one it already had; null when there is no such reservation.
    /// </summary>
    public async Task<ReleasedReservation?> SettleAsync(Guid reservationId, string target, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        Guid? orderId;
        await using (var command = new NpgsqlCommand(
            $"UPDATE reservations SET status = $2, released_at = now() WHERE id = $1 AND status = '{ReservationStatus.Held}' RETURNING order_id",
            connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = reservationId });
            command.Parameters.Add(new NpgsqlParameter { Value = target });
            orderId = (Guid?)await command.ExecuteScalarAsync(ct);
        }

        if (orderId is null)
        {
            // Settled before (answer how) or never existed.
            await using var lookup = new NpgsqlCommand("SELECT order_id, status FROM reservations WHERE id = $1", connection, transaction);
            lookup.Parameters.Add(new NpgsqlParameter { Value = reservationId });
            await using var reader = await lookup.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new ReleasedReservation(reservationId, reader.GetGuid(0), reader.GetString(1)) : null;
        }

        if (target == ReservationStatus.Released)
        {
            await using var command = new NpgsqlCommand(
                """
                UPDATE products AS p SET stock = p.stock + l.quantity
                FROM reservation_lines AS l
                WHERE l.reservation_id = $1 AND p.sku = l.sku
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = reservationId });
            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return new ReleasedReservation(reservationId, orderId.Value, target);
    }

    /// <summary>
    /// Expires up to <paramref name="limit"/> held reservations whose time is up and returns their stock, in one
    /// statement; rows another replica is expiring are skipped. Answers what it expired.
    /// </summary>
    public async Task<IReadOnlyList<ReleasedReservation>> ExpireAsync(int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH expired AS (
                UPDATE reservations SET status = '{ReservationStatus.Expired}', released_at = now()
                WHERE id IN (SELECT id FROM reservations WHERE status = '{ReservationStatus.Held}' AND expires_at < now()
                             ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING id, order_id),
            returned AS (
                UPDATE products AS p SET stock = p.stock + s.quantity
                FROM (SELECT l.sku, sum(l.quantity)::integer AS quantity
                      FROM reservation_lines AS l JOIN expired AS e ON e.id = l.reservation_id GROUP BY l.sku) AS s
                WHERE p.sku = s.sku)
            SELECT id, order_id FROM expired
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var expired = new List<ReleasedReservation>();
        while (await reader.ReadAsync(ct))
        {
            expired.Add(new ReleasedReservation(reader.GetGuid(0), reader.GetGuid(1), ReservationStatus.Expired));
        }

        return expired;
    }

    private async Task<Reservation?> FindByOrderAsync(Guid orderId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT r.id, r.status, r.currency, l.sku, l.quantity, l.unit_price
            FROM reservations AS r JOIN reservation_lines AS l ON l.reservation_id = r.id
            WHERE r.order_id = $1
            ORDER BY l.line
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        (Guid Id, string Status, string Currency)? head = null;
        var items = new List<ReservedItem>();
        while (await reader.ReadAsync(ct))
        {
            head ??= (reader.GetGuid(0), reader.GetString(1), reader.GetString(2));
            items.Add(new ReservedItem(reader.GetString(3), reader.GetInt32(4), reader.GetDecimal(5)));
        }

        return head is { } h
            ? new Reservation(h.Id, orderId, h.Status, h.Currency, items.Sum(i => i.UnitPrice * i.Quantity), items)
            : null;
    }

    private static Product ReadProduct(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetDecimal(2), reader.GetString(3), reader.GetInt32(4));
}
