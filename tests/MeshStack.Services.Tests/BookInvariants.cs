using Npgsql;

namespace MeshStack.Services.Tests;

/// <summary>
/// What must hold across order, inventory and payment once nothing is pending: read straight from the shared
/// database, each violation named with its row.
/// </summary>
internal static class BookInvariants
{
    private static readonly (string Rule, string Sql)[] Rules =
    [
        ("order still pending", "SELECT id::text FROM orders WHERE status = 'pending'"),
        ("confirmed order without exactly one succeeded payment (the one it records)",
            """
            SELECT o.id::text FROM orders AS o
            WHERE o.status = 'confirmed'
              AND (SELECT count(*) FROM payments AS p WHERE p.order_id = o.id AND p.status = 'succeeded' AND p.id = o.payment_id) <> 1
            """),
        ("succeeded payment without a confirmed order",
            """
            SELECT p.order_id::text FROM payments AS p LEFT JOIN orders AS o ON o.id = p.order_id
            WHERE p.status = 'succeeded' AND o.status IS DISTINCT FROM 'confirmed'
            """),
        ("committed reservation without a confirmed order",
            """
            SELECT r.order_id::text FROM reservations AS r LEFT JOIN orders AS o ON o.id = r.order_id
            WHERE r.status = 'committed' AND o.status IS DISTINCT FROM 'confirmed'
            """),
        ("confirmed order without a committed reservation",
            """
            SELECT o.id::text FROM orders AS o LEFT JOIN reservations AS r ON r.order_id = o.id AND r.status = 'committed'
            WHERE o.status = 'confirmed' AND r.id IS NULL
            """),
        ("held reservation without a pending order",
            """
            SELECT r.id::text FROM reservations AS r LEFT JOIN orders AS o ON o.id = r.order_id
            WHERE r.status = 'held' AND o.status IS DISTINCT FROM 'pending'
            """),
    ];

    public static async Task<Dictionary<string, int>> StockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sku, stock FROM products", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stock = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            stock[reader.GetString(0)] = reader.GetInt32(1);
        }

        return stock;
    }

    /// <summary>Every violation, as "rule: row"; <paramref name="initialStock"/> is the stock before any order.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(string connectionString, IReadOnlyDictionary<string, int> initialStock)
    {
        var violations = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (rule, sql) in Rules)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                violations.Add($"{rule}: {reader.GetString(0)}");
            }
        }

        // Stock arithmetic: what left each SKU is exactly what committed and held reservations took.
        await using (var command = new NpgsqlCommand(
            """
            SELECT p.sku, p.stock, coalesce(sum(l.quantity) FILTER (WHERE r.status IN ('committed', 'held')), 0)::integer
            FROM products AS p
            LEFT JOIN reservation_lines AS l ON l.sku = p.sku
            LEFT JOIN reservations AS r ON r.id = l.reservation_id
            GROUP BY p.sku, p.stock
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var (sku, stock, taken) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
                if (initialStock[sku] - stock != taken)
                {
                    violations.Add($"stock arithmetic: {sku} started at {initialStock[sku]}, is {stock}, reservations took {taken}");
                }
            }
        }

        return violations;
    }
}
