using System.Net.Http.Json;
using System.Text.Json;

namespace MeshStack.Services.Tests;

/// <summary>Polls until something background work does (recovery, expiry) has happened, or fails at the deadline.</summary>
internal static class Eventually
{
    public static async Task<JsonElement> OrderAsync(HttpClient client, Guid id, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var order = await client.GetFromJsonAsync<JsonElement>($"/orders/{id}");
            if (condition(order))
            {
                return order;
            }

            Assert.True(DateTime.UtcNow < deadline, $"order {id} still {order.GetProperty("status")} after {timeout.TotalSeconds} s");
            await Task.Delay(200);
        }
    }
}
