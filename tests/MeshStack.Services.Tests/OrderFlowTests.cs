using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeshStack.Services.Tests;

/// <summary>POST /orders through the gateway: the saga's outcomes as a client sees them, and what each leaves in stock.</summary>
[Collection(ServicesCollection.Name)]
public sealed class OrderFlowTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Placing_an_order_reserves_stock_charges_and_is_readable_back()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "MUG-001");

        using var response = await Http.PostOrderAsync(gateway, Http.Order("alice", "MUG-001", 2));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.ReadJsonAsync();
        var id = order.GetProperty("id").GetGuid();
        Assert.Equal($"/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("confirmed", order.GetProperty("status").GetString());
        Assert.Equal(25.00m, order.GetProperty("total").GetDecimal());
        Assert.Equal("USD", order.GetProperty("currency").GetString());
        Assert.Equal(12.50m, order.GetProperty("items")[0].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(stockBefore - 2, await Http.StockAsync(gateway, "MUG-001"));

        var readBack = await gateway.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("confirmed", readBack.GetProperty("status").GetString());
        var listed = await gateway.GetFromJsonAsync<JsonElement>("/orders?customerId=alice");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());

        var payment = await gateway.GetFromJsonAsync<JsonElement>($"/payments/{order.GetProperty("paymentId").GetGuid()}");
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        Assert.Equal(25.00m, payment.GetProperty("amount").GetDecimal());
    }

    [PostgresFact]
    public async Task Not_enough_stock_is_409_and_takes_nothing()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "BOOK-006");

        using var response = await Http.PostOrderAsync(gateway, Http.Order("bob", "BOOK-006", stockBefore + 1));

        var problem = await response.AssertProblemAsync(409);
        Assert.Equal("rejected", problem.GetProperty("orderStatus").GetString());
        Assert.Contains("BOOK-006", problem.GetProperty("detail").GetString());
        Assert.Equal(stockBefore, await Http.StockAsync(gateway, "BOOK-006"));
    }

    [PostgresFact]
    public async Task Declined_payment_is_402_and_releases_the_reservation()
    {
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions
        {
            Payment = { ["Payment:FailureRate"] = "1" },
        });
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "TEE-002");

        using var response = await Http.PostOrderAsync(gateway, Http.Order("carol", "TEE-002", 3));

        var problem = await response.AssertProblemAsync(402);
        var id = problem.GetProperty("orderId").GetGuid();
        Assert.Equal(stockBefore, await Http.StockAsync(gateway, "TEE-002"));
        var order = await gateway.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("payment_failed", order.GetProperty("status").GetString());
    }

    [PostgresFact]
    public async Task The_same_idempotency_key_twice_places_one_order()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "CAP-003");

        using var first = await Http.PostOrderAsync(gateway, Http.Order("dave", "CAP-003", 1), "key-dave-1");
        using var second = await Http.PostOrderAsync(gateway, Http.Order("dave", "CAP-003", 1), "key-dave-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("id").GetGuid(), (await second.ReadJsonAsync()).GetProperty("id").GetGuid());
        var orders = await gateway.GetFromJsonAsync<JsonElement>("/orders?customerId=dave");
        Assert.Single(orders.EnumerateArray());
        Assert.Equal(stockBefore - 1, await Http.StockAsync(gateway, "CAP-003"));

        using var different = await Http.PostOrderAsync(gateway, Http.Order("dave", "CAP-003", 2), "key-dave-1");
        await different.AssertProblemAsync(422);
    }

    [PostgresFact]
    public async Task Concurrent_requests_with_one_idempotency_key_place_one_order()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "STK-004");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Http.PostOrderAsync(gateway, Http.Order("erin", "STK-004", 1), "key-erin-concurrent")));

        // Each answer is the one order (201) or "still being placed" (409); never a second order.
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = new HashSet<Guid>();
        foreach (var response in responses)
        {
            var body = await response.ReadJsonAsync();
            ids.Add(response.StatusCode == HttpStatusCode.Created ? body.GetProperty("id").GetGuid() : body.GetProperty("orderId").GetGuid());
            response.Dispose();
        }

        Assert.Single(ids);
        Assert.Single((await gateway.GetFromJsonAsync<JsonElement>("/orders?customerId=erin")).EnumerateArray());
        Assert.Equal(stockBefore - 1, await Http.StockAsync(gateway, "STK-004"));
    }
}
