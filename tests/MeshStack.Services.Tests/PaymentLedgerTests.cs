using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeshStack.Services.Tests;

/// <summary>Payment's ledger is in PostgreSQL: payments survive restarts, a charge is one per order, refunds are final.</summary>
[Collection(ServicesCollection.Name)]
public sealed class PaymentLedgerTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Payments_survive_a_restart_and_a_charge_stays_idempotent_on_the_order()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var orders = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            using var placed = await Http.PostOrderAsync(gateway, Http.Order("restart-payment", "TEE-002", i + 1));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            orders.Add(await placed.ReadJsonAsync());
        }

        await stack.StopAsync("payment");
        await stack.RestartAsync("payment");
        using var payment = stack.Payment.Client();

        foreach (var order in orders)
        {
            var paymentId = order.GetProperty("paymentId").GetGuid();
            var read = await gateway.GetFromJsonAsync<JsonElement>($"/payments/{paymentId}");
            Assert.Equal("succeeded", read.GetProperty("status").GetString());
            Assert.Equal(order.GetProperty("total").GetDecimal(), read.GetProperty("amount").GetDecimal());
            Assert.Equal(order.GetProperty("id").GetGuid(), read.GetProperty("orderId").GetGuid());

            // The same order charged again after the restart: the first payment, not a second one.
            using var again = await payment.PostAsJsonAsync("/payments", new { orderId = order.GetProperty("id").GetGuid(), amount = 1.00m, currency = "USD" });
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(paymentId, (await again.ReadJsonAsync()).GetProperty("id").GetGuid());
        }

        Assert.Equal(3, await Database.CountAsync(stack.ConnectionString, "payments"));
    }

    [PostgresFact]
    public async Task Concurrent_charges_of_one_order_are_one_payment_and_a_refund_or_void_is_final()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var payment = stack.Payment.Client();
        var orderId = Guid.NewGuid();

        var charges = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await payment.PostAsJsonAsync("/payments", new { orderId, amount = 12.50m, currency = "USD" });
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}");
            return (response.StatusCode, Id: (await response.ReadJsonAsync()).GetProperty("id").GetGuid());
        }));
        Assert.Single(charges.Select(c => c.Id).Distinct());
        Assert.Single(charges, c => c.StatusCode == HttpStatusCode.Created);

        for (var i = 0; i < 2; i++)
        {
            using var refund = await payment.PostAsJsonAsync("/payments/refunds", new { orderId });
            Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
            Assert.Equal("refunded", (await refund.ReadJsonAsync()).GetProperty("status").GetString());
        }

        using (var afterRefund = await payment.PostAsJsonAsync("/payments", new { orderId, amount = 12.50m, currency = "USD" }))
        {
            await afterRefund.AssertProblemAsync(409);
        }

        // A void before any charge: the charge that arrives late is refused, and nothing is owed.
        var late = Guid.NewGuid();
        using (var voided = await payment.PostAsJsonAsync("/payments/refunds", new { orderId = late }))
        {
            var body = await voided.ReadJsonAsync();
            Assert.Equal("voided", body.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("amount").ValueKind);
        }

        using (var lateCharge = await payment.PostAsJsonAsync("/payments", new { orderId = late, amount = 4.99m, currency = "USD" }))
        {
            await lateCharge.AssertProblemAsync(409);
        }

        Assert.Equal(0, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'succeeded'"));
    }
}
