using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeshStack.Services.Tests;

/// <summary>The server-rendered shop page: lists products through the gateway and places an order with a form post.</summary>
[Collection(ServicesCollection.Name)]
public sealed class FrontendTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task The_page_lists_products_and_a_form_post_places_one_order()
    {
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions { WithFrontend = true });
        using var frontend = stack.Frontend.Client();
        using var gateway = stack.Gateway.Client();

        var page = await frontend.GetStringAsync("/");
        Assert.Contains("Zero-trust hoodie", page);
        Assert.Contains("No orders yet.", page);
        Assert.Contains("name=\"_handler\" value=\"place-order\"", page);

        var form = new Dictionary<string, string>
        {
            ["_handler"] = "place-order",
            ["Input.CustomerId"] = "web-customer",
            ["Input.Sku"] = "HOOD-005",
            ["Input.Quantity"] = "2",
            ["Input.RequestKey"] = "form-key-1",
        };
        using var posted = await frontend.PostAsync("/", new FormUrlEncodedContent(form));
        var result = await posted.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("confirmed: 98.00 USD", result);
        // A reloaded form post (same request key) does not order twice.
        using var reposted = await frontend.PostAsync("/", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, reposted.StatusCode);
        var orders = await gateway.GetFromJsonAsync<JsonElement>("/orders?customerId=web-customer");
        var order = Assert.Single(orders.EnumerateArray());
        Assert.Contains(order.GetProperty("id").GetGuid().ToString(), result);
    }

    [PostgresFact]
    public async Task The_page_still_renders_when_the_gateway_is_down()
    {
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions { WithFrontend = true });
        using var frontend = stack.Frontend.Client();
        await stack.StopAsync("api-gateway");

        using var response = await frontend.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The catalogue is unavailable right now.", await response.Content.ReadAsStringAsync());
    }
}
