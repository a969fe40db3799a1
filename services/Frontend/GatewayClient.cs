using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace MeshStack.Frontend;

public sealed record ProductView(string Sku, string Name, decimal Price, string Currency, int Stock);

public sealed record OrderItemView(string Sku, int Quantity, decimal? UnitPrice);

public sealed record OrderView(Guid Id, string CustomerId, string Status, string? Currency, decimal? Total,
    IReadOnlyList<OrderItemView> Items, DateTimeOffset CreatedAt);

/// <summary>What the page shows after a form post: a confirmation or the problem, in words.</summary>
public sealed record PlaceOrderOutcome(bool Succeeded, string Message);

/// <summary>The frontend's only dependency: the api-gateway. Failures become messages, never a broken page.</summary>
public sealed class GatewayClient(HttpClient http, ILogger<GatewayClient> logger)
{
    public Task<IReadOnlyList<ProductView>?> ProductsAsync(CancellationToken ct) => GetListAsync<ProductView>("/inventory", ct);

    /// <summary>The signed-in shopper's newest orders: order narrows the list to the token's subject.</summary>
    public Task<IReadOnlyList<OrderView>?> RecentOrdersAsync(CancellationToken ct) => GetListAsync<OrderView>("/orders?limit=10", ct);

    /// <summary>Places an order; <paramref name="customerId"/> null leaves the customer to the shopper's token.</summary>
    public async Task<PlaceOrderOutcome> PlaceOrderAsync(string? customerId, string sku, int quantity, string idempotencyKey)
    {
        var items = new[] { new { sku, quantity } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = customerId is null ? JsonContent.Create(new { items }) : JsonContent.Create(new { customerId, items }),
        };
        // A reloaded form post sends the same key again, so it cannot place a second order.
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        try
        {
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var order = await response.Content.ReadFromJsonAsync<OrderView>();
                return new PlaceOrderOutcome(true, $"Order {order?.Id} confirmed: {order?.Total} {order?.Currency}.");
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return new PlaceOrderOutcome(false, "Please sign in to place an order.");
            var problem = await ReadProblemAsync(response);
            return new PlaceOrderOutcome(false, problem);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
        {
            logger.LogWarning("Placing an order failed: {Reason}", exception.Message);
            return new PlaceOrderOutcome(false, "The shop cannot take orders right now; please try again.");
        }
    }

    private async Task<IReadOnlyList<T>?> GetListAsync<T>(string path, CancellationToken ct)
    {
        try
        {
            return await http.GetFromJsonAsync<List<T>>(path, ct);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
        {
            logger.LogWarning("GET {Path} through the gateway failed: {Reason}", path, exception.Message);
            return null;
        }
    }

    private static async Task<string> ReadProblemAsync(HttpResponseMessage response)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
            var fields = problem?.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? [];
            return string.Join(" ", new[] { problem?.Title, problem?.Detail }.Concat(fields).Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (System.Text.Json.JsonException)
        {
            return $"The order was not placed ({(int)response.StatusCode}).";
        }
    }
}
