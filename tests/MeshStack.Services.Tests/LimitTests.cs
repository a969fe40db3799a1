using System.Net;
using System.Text;

namespace MeshStack.Services.Tests;

/// <summary>
/// Input and resource limits: each refusal has its status, a ProblemDetails naming the field, and writes nothing.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class LimitTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task A_body_over_the_limit_is_413_at_the_gateway_and_at_order_and_nothing_is_written()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        // 80 KiB of otherwise valid JSON, over the 64 KiB limit (small enough that the client finishes sending before
        // the early refusal closes the connection, which a megabyte does not always).
        var huge = $$"""{"customerId":"{{new string('a', 80 * 1024)}}","items":[{"sku":"MUG-001","quantity":1}]}""";

        foreach (var host in new[] { stack.Gateway, stack.Order })
        {
            using var client = host.Client();
            using (var sized = await Http.PostOrderAsync(client, Http.Json(huge)))
            {
                var problem = await sized.AssertProblemAsync(413);
                Assert.Equal("The request body may be at most 65536 bytes.", problem.GetProperty("detail").GetString());
            }

            // Chunked, no Content-Length: refused once the limit is crossed while reading.
            var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
            chunked.Headers.ContentType = new("application/json");
            using (var streamed = await Http.PostOrderAsync(client, chunked))
            {
                await streamed.AssertProblemAsync(413);
            }
        }

        Assert.Equal((0, 0, 0), await Database.WrittenAsync(stack.ConnectionString));
    }

    [PostgresFact]
    public async Task Item_counts_and_error_lists_are_bounded()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();

        // 2,000 items (about 50 KB, under the body limit): one error for the list, not one per item.
        var many = "[" + string.Join(",", Enumerable.Range(0, 2000).Select(_ => """{"sku":"","quantity":0}""")) + "]";
        using (var response = await Http.PostOrderAsync(gateway, Http.Json($$"""{"customerId":"c","items":{{many}}}""")))
        {
            Assert.Equal(["items"], await response.AssertFieldErrorsAsync());
        }

        // 50 items, each wrong twice: 100 field errors, of which 20 are listed and the rest counted.
        var wrong = "[" + string.Join(",", Enumerable.Range(0, 50).Select(_ => """{"sku":"","quantity":0}""")) + "]";
        using (var response = await Http.PostOrderAsync(gateway, Http.Json($$"""{"customerId":"c","items":{{wrong}}}""")))
        {
            Assert.Equal(20, (await response.AssertFieldErrorsAsync()).Count);
            Assert.Equal("80 more errors are not listed.", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal((0, 0, 0), await Database.WrittenAsync(stack.ConnectionString));
    }

    [PostgresFact]
    public async Task NUL_broken_text_and_numbers_as_strings_are_400_naming_the_field()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        using var inventory = stack.Inventory.Client();
        using var payment = stack.Payment.Client();

        var cases = new (HttpClient Client, string Method, string Path, string? Body, string Field)[]
        {
            (gateway, "POST", "/orders", """{"customerId":"a\u0000b","items":[{"sku":"MUG-001","quantity":1}]}""", "customerId"),
            (gateway, "POST", "/orders", """{"customerId":"\ud800","items":[{"sku":"MUG-001","quantity":1}]}""", "customerId"),
            (gateway, "POST", "/orders", """{"customerId":"c","items":[{"sku":"MUG\u0000","quantity":1}]}""", "items[0].sku"),
            (gateway, "POST", "/orders", """{"customerId":"c","items":[{"sku":"MUG-001","quantity":"2"}]}""", "items[0].quantity"),
            (gateway, "POST", "/orders", """{"customerId":"c","items":[{"sku":"MUG-001","quantity":1.5}]}""", "items[0].quantity"),
            (gateway, "GET", "/orders?customerId=%00", null, "customerId"),
            // (A NUL in the path itself is refused by Kestrel with a bare 400 before any application code runs.)
            (gateway, "GET", "/inventory/MUG%01", null, "sku"),
            (inventory, "POST", "/inventory/reservations", $$"""{"orderId":"{{Guid.NewGuid()}}","items":[{"sku":"\u0000","quantity":1}]}""", "items[0].sku"),
            (inventory, "POST", "/inventory/reservations", $$"""{"orderId":"{{Guid.NewGuid()}}","items":[{"sku":"MUG-001","quantity":"1"}]}""", "items[0].quantity"),
            (payment, "POST", "/payments", $$"""{"orderId":"{{Guid.NewGuid()}}","amount":"10.00","currency":"USD"}""", "amount"),
        };

        foreach (var (client, method, path, body, field) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Http.Json(body) };
            using var response = await client.SendAsync(request);
            Assert.Equal([field], await response.AssertFieldErrorsAsync());
        }

        Assert.Equal((0, 0, 0), await Database.WrittenAsync(stack.ConnectionString));
    }

    [PostgresFact]
    public async Task A_refused_order_leaves_no_reservation_rows()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();

        using (var otherCurrency = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","currency":"EUR","items":[{"sku":"MUG-001","quantity":1}]}""")))
        {
            Assert.Equal(["currency"], await otherCurrency.AssertFieldErrorsAsync());
        }

        using (var unknownSku = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","items":[{"sku":"MUG-001","quantity":1},{"sku":"NOPE-9","quantity":1}]}""")))
        {
            Assert.Equal(["items[1].sku"], await unknownSku.AssertFieldErrorsAsync());
        }

        using (var tooMany = await Http.PostOrderAsync(gateway, Http.Json("""{"customerId":"c","items":[{"sku":"MUG-001","quantity":1},{"sku":"BOOK-006","quantity":1000}]}""")))
        {
            await tooMany.AssertProblemAsync(409);
        }

        // Only the rejected order is kept (as rejected); no reservation, no line, no stock moved.
        Assert.Equal((1, 0, 0), await Database.WrittenAsync(stack.ConnectionString));
        Assert.Equal(100, await Http.StockAsync(gateway, "MUG-001"));
    }

    [PostgresFact]
    public async Task Every_4xx_is_a_problem_response()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        var cases = new (ServiceHost Host, string Method, string Path, string? ContentType, int Status)[]
        {
            (stack.Gateway, "GET", "/nowhere", null, 404),
            (stack.Gateway, "DELETE", "/orders", null, 405),
            (stack.Order, "PUT", "/orders", null, 405),
            (stack.Order, "POST", "/orders", "text/plain", 415),
            (stack.Inventory, "GET", "/nowhere", null, 404),
            (stack.Inventory, "POST", "/inventory/reservations", "application/xml", 415),
            (stack.Payment, "DELETE", "/payments/x", null, 405),
            (stack.Payment, "POST", "/payments", "text/plain", 415),
        };

        foreach (var (host, method, path, contentType, status) in cases)
        {
            using var client = host.Client();
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (contentType is not null)
            {
                request.Content = new StringContent("x", Encoding.UTF8, contentType);
            }

            using var response = await client.SendAsync(request);
            await response.AssertProblemAsync(status);
        }
    }
}
