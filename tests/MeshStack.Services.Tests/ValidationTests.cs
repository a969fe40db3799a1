using System.Net;

namespace MeshStack.Services.Tests;

/// <summary>Bad input answers 400 ProblemDetails whose errors name the field, at every service.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ValidationTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Bad_input_to_orders_names_the_field()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();

        // A value of the wrong type: the JSON path of the value.
        using (var response = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","items":[{"sku":"MUG-001","quantity":"two"}]}""")))
        {
            Assert.Equal(["items[0].quantity"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId": 42, "items": []}""")))
        {
            Assert.Equal(["customerId"], await response.AssertFieldErrorsAsync());
        }

        // Broken syntax: where reading stopped.
        using (var response = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","items":[{"sku":"MUG-001","quantity":1}""")))
        {
            Assert.Contains(await response.AssertFieldErrorsAsync(), f => f.StartsWith("items", StringComparison.Ordinal));
        }

        using (var response = await Http.PostOrderAsync(gateway, Http.Json("")))
        {
            Assert.Equal(["body"], await response.AssertFieldErrorsAsync());
        }

        // Well-formed but invalid: every field at once.
        using (var response = await Http.PostOrderAsync(gateway,
            Http.Json("""{"customerId":"","currency":"usd","items":[{"sku":"","quantity":0},{"sku":"MUG-001","quantity":1001},null]}""")))
        {
            Assert.Equal(
                ["currency", "customerId", "items[0].quantity", "items[0].sku", "items[1].quantity", "items[2]"],
                (await response.AssertFieldErrorsAsync()).Order(StringComparer.Ordinal));
        }

        using (var response = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","items":[]}""")))
        {
            Assert.Equal(["items"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await Http.PostOrderAsync(gateway, Http.Order("c"), idempotencyKey: new string('k', 256)))
        {
            Assert.Equal(["Idempotency-Key"], await response.AssertFieldErrorsAsync());
        }

        // A SKU the catalogue does not have is a field error too (inventory's, passed on with the same name).
        using (var response = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","items":[{"sku":"MUG-001","quantity":1},{"sku":"NOPE-1","quantity":1}]}""")))
        {
            Assert.Equal(["items[1].sku"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await gateway.GetAsync("/orders/not-a-uuid"))
        {
            Assert.Equal(["id"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await gateway.GetAsync("/orders?limit=0"))
        {
            Assert.Equal(["limit"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await gateway.GetAsync("/orders?limit=ten"))
        {
            Assert.Equal(["limit"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await gateway.GetAsync($"/orders/{Guid.NewGuid()}"))
        {
            await response.AssertProblemAsync(404);
        }

        // No order was recorded by any of these.
        Assert.Equal("[]", await gateway.GetStringAsync("/orders"));
    }

    [PostgresFact]
    public async Task Bad_input_to_inventory_and_payment_names_the_field()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var inventory = stack.Inventory.Client();
        using var payment = stack.Payment.Client();

        using (var response = await inventory.PostAsync("/inventory/reservations", Http.Json("""{"orderId":"not-a-guid","items":[]}""")))
        {
            Assert.Equal(["orderId"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await inventory.PostAsync("/inventory/reservations",
            Http.Json($$"""{"orderId":"{{Guid.NewGuid()}}","items":[{"sku":"MUG-001","quantity":1},{"sku":"MUG-001","quantity":0}]}""")))
        {
            Assert.Equal(["items[1].quantity", "items[1].sku"], (await response.AssertFieldErrorsAsync()).Order(StringComparer.Ordinal));
        }

        using (var response = await inventory.PostAsync("/inventory/reservations/xyz/release", null))
        {
            Assert.Equal(["id"], await response.AssertFieldErrorsAsync());
        }

        using (var response = await inventory.GetAsync("/inventory/NOPE-1"))
        {
            await response.AssertProblemAsync(404);
        }

        using (var response = await payment.PostAsync("/payments", Http.Json("""{"orderId":null,"amount":-1,"currency":"dollars"}""")))
        {
            Assert.Equal(["amount", "currency", "orderId"], (await response.AssertFieldErrorsAsync()).Order(StringComparer.Ordinal));
        }

        using (var response = await payment.GetAsync($"/payments/{Guid.NewGuid()}"))
        {
            await response.AssertProblemAsync(404);
        }

        using (var response = await payment.GetAsync("/no-such-route"))
        {
            await response.AssertProblemAsync(404);
        }
    }

    [PostgresFact]
    public async Task Reserve_and_release_are_idempotent_at_inventory()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var inventory = stack.Inventory.Client();
        var stockBefore = await Http.StockAsync(inventory, "HOOD-005");
        var body = $$"""{"orderId":"{{Guid.NewGuid()}}","items":[{"sku":"HOOD-005","quantity":5}]}""";

        using var first = await inventory.PostAsync("/inventory/reservations", Http.Json(body));
        using var again = await inventory.PostAsync("/inventory/reservations", Http.Json(body));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var id = (await first.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await again.ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(stockBefore - 5, await Http.StockAsync(inventory, "HOOD-005"));

        for (var i = 0; i < 2; i++)
        {
            using var release = await inventory.PostAsync($"/inventory/reservations/{id}/release", null);
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
            Assert.Equal("released", (await release.ReadJsonAsync()).GetProperty("status").GetString());
        }

        Assert.Equal(stockBefore, await Http.StockAsync(inventory, "HOOD-005"));
        using var unknown = await inventory.PostAsync($"/inventory/reservations/{Guid.NewGuid()}/release", null);
        await unknown.AssertProblemAsync(404);
    }
}
