using System.Net;
using Npgsql;

namespace MeshStack.Services.Tests;

/// <summary>The book checks the fault test relies on, each shown catching a seeded violation.</summary>
[Collection(ServicesCollection.Name)]
public sealed class BookInvariantsTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Each_check_catches_its_seeded_violation()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        var initial = await BookInvariants.StockAsync(stack.ConnectionString);
        using var placed = await Http.PostOrderAsync(stack.Gateway.Client(), Http.Order("books", "MUG-001", 2));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.Empty(await BookInvariants.CheckAsync(stack.ConnectionString, initial));

        var seeded = new (string Break, string Repair, string Caught)[]
        {
            ("UPDATE orders SET status = 'pending'", "UPDATE orders SET status = 'confirmed'", "order still pending"),
            ("UPDATE payments SET status = 'refunded'", "UPDATE payments SET status = 'succeeded'", "confirmed order without exactly one succeeded payment"),
            ($"INSERT INTO payments (id, order_id, amount, currency, status) VALUES ('{Guid.NewGuid()}', '{Guid.NewGuid()}', 1, 'USD', 'succeeded')",
                "DELETE FROM payments WHERE order_id NOT IN (SELECT id FROM orders)", "succeeded payment without a confirmed order"),
            ("UPDATE reservations SET status = 'held'", "UPDATE reservations SET status = 'committed'", "held reservation without a pending order"),
            ("UPDATE reservations SET status = 'released'", "UPDATE reservations SET status = 'committed'", "confirmed order without a committed reservation"),
            ("UPDATE products SET stock = stock - 1 WHERE sku = 'MUG-001'", "UPDATE products SET stock = stock + 1 WHERE sku = 'MUG-001'", "stock arithmetic"),
        };
        foreach (var (breakSql, repairSql, caught) in seeded)
        {
            await ExecuteAsync(stack.ConnectionString, breakSql);
            var violations = await BookInvariants.CheckAsync(stack.ConnectionString, initial);
            Assert.Contains(violations, v => v.StartsWith(caught, StringComparison.Ordinal));
            await ExecuteAsync(stack.ConnectionString, repairSql);
            Assert.Empty(await BookInvariants.CheckAsync(stack.ConnectionString, initial));
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
