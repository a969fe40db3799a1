using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MeshStack.Services.Tests;

/// <summary>What the tests send and read on the wire.</summary>
internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static JsonContent Order(string customerId, string sku = "MUG-001", int quantity = 1) =>
        JsonContent.Create(new { customerId, items = new[] { new { sku, quantity } } });

    public static async Task<HttpResponseMessage> PostOrderAsync(HttpClient client, HttpContent body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = body };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Asserts a ProblemDetails body with the status, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        var call = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        Assert.True((int)response.StatusCode == status, $"{call}: expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{call}: {(int)response.StatusCode} with content type '{response.Content.Headers.ContentType}': {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>The field names in a 400 ValidationProblem's errors.</summary>
    public static async Task<IReadOnlyList<string>> AssertFieldErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(400);
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }

    public static async Task<int> StockAsync(HttpClient client, string sku) =>
        (await client.GetFromJsonAsync<JsonElement>($"/inventory/{sku}")).GetProperty("stock").GetInt32();
}
