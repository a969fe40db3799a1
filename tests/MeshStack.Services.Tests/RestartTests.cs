using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeshStack.Services.Tests;

[Collection(ServicesCollection.Name)]
public sealed class RestartTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Orders_accepted_before_order_restarts_are_all_still_there()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var accepted = new List<Guid>();
        var failedWhileDown = 0;
        using var stopLoad = new CancellationTokenSource();

        // Orders keep coming while order is stopped and started again.
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stopLoad.IsCancellationRequested; i++)
            {
                using var response = await Http.PostOrderAsync(gateway, Http.Order("restart", "STK-004"), $"restart-{i}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var id = (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
                    lock (accepted)
                    {
                        accepted.Add(id);
                    }
                }
                else
                {
                    Interlocked.Increment(ref failedWhileDown);
                    await Task.Delay(20);
                }
            }
        });

        await WaitForAsync(() => Count(accepted) >= 10);
        await stack.StopAsync("order");
        var acceptedBeforeStop = Count(accepted);
        await WaitForAsync(() => Volatile.Read(ref failedWhileDown) >= 3);
        await stack.RestartAsync("order");
        await WaitForAsync(() => Count(accepted) >= acceptedBeforeStop + 10);
        await stopLoad.CancelAsync();
        await load;

        var listed = await gateway.GetFromJsonAsync<JsonElement>("/orders?customerId=restart&limit=200");
        var listedIds = listed.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToHashSet();
        Assert.True(acceptedBeforeStop >= 10);
        Assert.All(accepted, id => Assert.Contains(id, listedIds));
        foreach (var id in accepted.Take(acceptedBeforeStop))
        {
            var order = await gateway.GetFromJsonAsync<JsonElement>($"/orders/{id}");
            Assert.Equal("confirmed", order.GetProperty("status").GetString());
        }
    }

    private static int Count(List<Guid> accepted)
    {
        lock (accepted)
        {
            return accepted.Count;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !condition(); await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the load loop");
        }
    }
}
