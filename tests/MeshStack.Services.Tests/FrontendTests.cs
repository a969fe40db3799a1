using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

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
        // No token, no owner: the page lists nobody's orders.
        Assert.Contains("Sign in to see your orders.", page);
        Assert.Contains("name=\"_handler\" value=\"place-order\"", page);

        var form = OrderForm(quantity: 2, requestKey: "form-key-1");
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

    /// <summary>
    /// With JWTs checked at the gateway, the frontend has no token of its own: the shopper's bearer token goes with the
    /// order it places, and a refusal reads as "sign in", not as a broken shop.
    /// </summary>
    [Fact]
    public async Task The_shoppers_token_goes_with_the_order_and_a_refusal_asks_to_sign_in()
    {
        var seen = new ConcurrentQueue<(string Path, string? Authorization)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var gateway = builder.Build();
        gateway.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            seen.Enqueue((context.Request.Path, authorization.Length == 0 ? null : authorization));
            await next(context);
        });
        gateway.MapGet("/inventory", () => Results.Json(Array.Empty<object>()));
        gateway.MapGet("/orders", () => Results.Json(Array.Empty<object>()));
        gateway.MapPost("/orders", (HttpContext context) => context.Request.Headers.Authorization.ToString() == "Bearer shopper-token"
            ? Results.Problem("out of stock", statusCode: 409) : Results.Unauthorized());
        await gateway.StartAsync();

        var settings = TestStack.Wired("frontend", _ => new Uri(gateway.Urls.Single()));
        await using var frontend = await ServiceHost.StartAsync("frontend", (a, c) => MeshStack.Frontend.Program.Build(a, c), settings);
        using var client = frontend.Client();
        var form = OrderForm(quantity: 1, requestKey: "form-key-2");

        using var anonymous = await client.PostAsync("/", new FormUrlEncodedContent(form));
        Assert.Contains("Please sign in to place an order.", await anonymous.Content.ReadAsStringAsync());

        using var signedIn = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
        signedIn.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "shopper-token");
        using var response = await client.SendAsync(signedIn);
        // the gateway saw the token, so it answered the order itself (here: out of stock)
        Assert.Contains("out of stock", await response.Content.ReadAsStringAsync());

        var posts = seen.Where(s => s.Path == "/orders").ToList();
        Assert.Contains(posts, s => s.Authorization is null);
        Assert.Contains(posts, s => s.Authorization == "Bearer shopper-token");
        // the page's own reads carry the token of the request that rendered it, and only that one
        Assert.All(seen, s => Assert.True(s.Authorization is null or "Bearer shopper-token"));
    }

    /// <summary>
    /// The canary header an internal user sends to the page travels on to the gateway (which forwards every header),
    /// but only when the stack names it (Canary:Header); nothing else of the incoming request does.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_canary_header_goes_on_to_the_gateway_only_when_the_stack_names_it(bool named)
    {
        var seen = new ConcurrentQueue<(string Path, string? Canary, string? Other)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var gateway = builder.Build();
        gateway.Use(async (HttpContext context, RequestDelegate next) =>
        {
            string? Header(string name) => context.Request.Headers[name].ToString() is { Length: > 0 } v ? v : null;
            seen.Enqueue((context.Request.Path, Header("x-canary-user"), Header("x-other")));
            await next(context);
        });
        gateway.MapGet("/inventory", () => Results.Json(Array.Empty<object>()));
        gateway.MapGet("/orders", () => Results.Json(Array.Empty<object>()));
        await gateway.StartAsync();

        var settings = TestStack.Wired("frontend", _ => new Uri(gateway.Urls.Single()));
        if (named) settings["Canary:Header"] = "x-canary-user";
        await using var frontend = await ServiceHost.StartAsync("frontend", (a, c) => MeshStack.Frontend.Program.Build(a, c), settings);
        using var client = frontend.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-canary-user", "internal");
        request.Headers.Add("x-other", "kept-out");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(named ? "internal" : null, s.Canary));
        Assert.All(seen, s => Assert.Null(s.Other));
    }

    [PostgresFact]
    public async Task A_signed_in_shopper_sees_only_their_own_orders_and_orders_as_themselves()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions { Jwt = issuer.Settings(), WithFrontend = true });
        using var gateway = stack.Gateway.Client();
        using var frontend = stack.Frontend.Client();
        var bobsOrder = await PlaceAsync(gateway, issuer.Token("bob"));

        var form = OrderForm(quantity: 1, requestKey: "alice-form");
        form.Remove("Input.CustomerId");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Token("alice"));
        using var posted = await frontend.SendAsync(post);
        var page = await posted.Content.ReadAsStringAsync();

        Assert.Contains("confirmed: 49.00 USD", page);
        using var list = new HttpRequestMessage(HttpMethod.Get, "/orders");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Token("alice"));
        using var alicesOrders = await gateway.SendAsync(list);
        var alicesOrder = Assert.Single((await alicesOrders.ReadJsonAsync()).EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Contains(alicesOrder.ToString(), page[page.IndexOf("Your orders", StringComparison.Ordinal)..]);
        Assert.DoesNotContain(bobsOrder.ToString(), page);
        Assert.DoesNotContain("name=\"Input.CustomerId\"", page);
    }

    private static async Task<Guid> PlaceAsync(HttpClient gateway, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = Http.Json("""{"items":[{"sku":"MUG-001","quantity":1}]}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>The shop page's order form as the browser posts it.</summary>
    private static Dictionary<string, string> OrderForm(int quantity, string requestKey) => new()
    {
        ["_handler"] = "place-order",
        ["Input.CustomerId"] = "web-customer",
        ["Input.Sku"] = "HOOD-005",
        ["Input.Quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.RequestKey"] = requestKey,
    };
}
