using System.Net;
using System.Net.Http.Json;
using MeshStack.Order;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MeshStack.Services.Tests;

/// <summary>
/// An order process that dies mid-saga leaves a pending order behind, with stock held and maybe a charge made.
/// Recovery finishes it: confirmed while it can be, compensated (stock back, charge refunded) after the deadline,
/// confirmed after all when inventory already committed it. Recovery's timer is off here and a pass is run by hand,
/// so the state before the pass shows what a stack without recovery is left with.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class SagaRecoveryTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task A_crash_after_the_charge_is_confirmed_by_recovery_within_the_deadline()
    {
        await using var stack = await StartAsync();
        var crashed = await CrashAfterAsync(stack, charged: true, committed: false, age: TimeSpan.Zero);

        Assert.Equal("pending", await StatusAsync(stack, crashed.OrderId));
        await RecoverAsync(stack);

        Assert.Equal("confirmed", await StatusAsync(stack, crashed.OrderId));
        Assert.Equal("committed", await ReservationStatusAsync(stack, crashed.OrderId));
        Assert.Equal(1, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'succeeded'"));
        Assert.Equal(crashed.StockBefore - 3, await Http.StockAsync(stack.Inventory.Client(), "TEE-002"));
    }

    [PostgresFact]
    public async Task Past_the_deadline_a_charged_order_is_refunded_and_its_stock_released()
    {
        await using var stack = await StartAsync();
        var crashed = await CrashAfterAsync(stack, charged: true, committed: false, age: TimeSpan.FromMinutes(5));

        await RecoverAsync(stack);

        Assert.Equal("failed", await StatusAsync(stack, crashed.OrderId));
        Assert.Equal("released", await ReservationStatusAsync(stack, crashed.OrderId));
        Assert.Equal(1, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'refunded'"));
        Assert.Equal(0, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'succeeded'"));
        Assert.Equal(crashed.StockBefore, await Http.StockAsync(stack.Inventory.Client(), "TEE-002"));
    }

    [PostgresFact]
    public async Task A_committed_reservation_is_confirmed_even_past_the_deadline_and_never_refunded()
    {
        await using var stack = await StartAsync();
        var crashed = await CrashAfterAsync(stack, charged: true, committed: true, age: TimeSpan.FromMinutes(5));

        await RecoverAsync(stack);

        Assert.Equal("confirmed", await StatusAsync(stack, crashed.OrderId));
        Assert.Equal(1, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'succeeded'"));
        Assert.Equal(crashed.StockBefore - 3, await Http.StockAsync(stack.Inventory.Client(), "TEE-002"));
    }

    [PostgresFact]
    public async Task A_crash_before_the_charge_past_the_deadline_voids_the_charge_still_on_its_way()
    {
        await using var stack = await StartAsync();
        var crashed = await CrashAfterAsync(stack, charged: false, committed: false, age: TimeSpan.FromMinutes(5));

        await RecoverAsync(stack);

        Assert.Equal("failed", await StatusAsync(stack, crashed.OrderId));
        Assert.Equal(crashed.StockBefore, await Http.StockAsync(stack.Inventory.Client(), "TEE-002"));
        // The dead process's charge request, arriving late, is refused.
        using var late = await stack.Payment.Client().PostAsJsonAsync("/payments", new { orderId = crashed.OrderId, amount = 72.00m, currency = "USD" });
        await late.AssertProblemAsync(409);
    }

    [PostgresFact]
    public async Task Held_stock_nobody_confirms_expires_and_an_expired_reservation_cannot_be_committed()
    {
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions
        {
            All = { ["Inventory:ReservationTtlSeconds"] = "1", ["Inventory:ExpirySweepSeconds"] = "1" },
        });
        using var inventory = stack.Inventory.Client();
        var stockBefore = await Http.StockAsync(inventory, "HOOD-005");
        using var reserved = await inventory.PostAsJsonAsync("/inventory/reservations", new { orderId = Guid.NewGuid(), items = new[] { new { sku = "HOOD-005", quantity = 5 } } });
        var id = (await reserved.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(stockBefore - 5, await Http.StockAsync(inventory, "HOOD-005"));

        for (var deadline = DateTime.UtcNow.AddSeconds(10); await Http.StockAsync(inventory, "HOOD-005") != stockBefore; await Task.Delay(200))
        {
            Assert.True(DateTime.UtcNow < deadline, "the held stock did not come back");
        }

        using var commit = await inventory.PostAsync($"/inventory/reservations/{id}/commit", null);
        Assert.Equal("expired", (await commit.AssertProblemAsync(409)).GetProperty("reservationStatus").GetString());

        // And a committed one never expires, nor can it be released.
        using var kept = await inventory.PostAsJsonAsync("/inventory/reservations", new { orderId = Guid.NewGuid(), items = new[] { new { sku = "HOOD-005", quantity = 2 } } });
        var keptId = (await kept.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await inventory.PostAsync($"/inventory/reservations/{keptId}/commit", null)).StatusCode);
        await Task.Delay(2500);
        using var release = await inventory.PostAsync($"/inventory/reservations/{keptId}/release", null);
        await release.AssertProblemAsync(409);
        Assert.Equal(stockBefore - 2, await Http.StockAsync(inventory, "HOOD-005"));
    }

    private Task<TestStack> StartAsync() => TestStack.StartAsync(postgres, new StackOptions
    {
        Order = { ["Saga:RecoveryIntervalSeconds"] = "0", ["Saga:DeadlineSeconds"] = "60" },
    });

    /// <summary>
    /// What a dead order process leaves: its pending row (lease run out, placed <paramref name="age"/> ago) and the
    /// steps it got through at inventory and payment.
    /// </summary>
    private static async Task<(Guid OrderId, int StockBefore)> CrashAfterAsync(TestStack stack, bool charged, bool committed, TimeSpan age)
    {
        using var inventory = stack.Inventory.Client();
        var stockBefore = await Http.StockAsync(inventory, "TEE-002");
        var orderId = Guid.CreateVersion7();
        await using (var connection = new NpgsqlConnection(stack.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO orders (id, customer_id, status, items, created_at, lease_until, attempts)
                VALUES ($1, 'crash', 'pending', '[{"sku":"TEE-002","quantity":3}]', now() - $2, now() - interval '1 second', 1)
                """, connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = orderId });
            insert.Parameters.Add(new NpgsqlParameter { Value = age });
            await insert.ExecuteNonQueryAsync();
        }

        using var reserved = await inventory.PostAsJsonAsync("/inventory/reservations", new { orderId, items = new[] { new { sku = "TEE-002", quantity = 3 } } });
        var reservation = await reserved.ReadJsonAsync();
        if (charged)
        {
            using var charge = await stack.Payment.Client().PostAsJsonAsync("/payments", new { orderId, amount = reservation.GetProperty("total").GetDecimal(), currency = "USD" });
            Assert.Equal(HttpStatusCode.Created, charge.StatusCode);
        }

        if (committed)
        {
            using var commit = await inventory.PostAsync($"/inventory/reservations/{reservation.GetProperty("id").GetGuid()}/commit", null);
            Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        }

        return (orderId, stockBefore);
    }

    private static Task<int> RecoverAsync(TestStack stack) =>
        stack.Order.App.Services.GetServices<IHostedService>().OfType<OrderRecovery>().Single()
            .RecoverDueAsync(new SagaOptions { DeadlineSeconds = 60 }, CancellationToken.None);

    private static async Task<string?> StatusAsync(TestStack stack, Guid orderId) =>
        (await stack.Order.Client().GetFromJsonAsync<System.Text.Json.JsonElement>($"/orders/{orderId}")).GetProperty("status").GetString();

    private static async Task<string> ReservationStatusAsync(TestStack stack, Guid orderId)
    {
        await using var connection = new NpgsqlConnection(stack.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM reservations WHERE order_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
