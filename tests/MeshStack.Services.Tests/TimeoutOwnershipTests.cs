using System.Net;

namespace MeshStack.Services.Tests;

/// <summary>
/// When the mesh owns retries and timeouts, the infra renders order's outgoing-call timeouts from the mesh's route
/// timeouts (payment/charge: 10 s, plus a 1 s margin; infra Traffic/AppCallTimeouts.cs, checked against the rendered
/// routes of every stack by the infra's TimeoutOwnershipTests). With those settings a charge slower than the app's old
/// 2 s attempt timeout, but inside the mesh's, completes instead of being abandoned while payment may still commit it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TimeoutOwnershipTests(PostgresFixture postgres)
{
    /// <summary>
    /// What the infra renders on order's Deployment (Resilience__*) in the prod stack, where the mesh owns retries and
    /// timeouts: read from a render, not restated.
    /// </summary>
    private static readonly Dictionary<string, string?> RenderedForOrder = RenderedStack.Of("prod")["order"].Settings("Resilience__");

    private const int AddedPaymentLatencyMs = 3000;

    /// <summary>The app's own defaults (services/ServiceDefaults/Resilience.cs), which the infra rendered nothing over before.</summary>
    private static readonly Dictionary<string, string?> AppDefaults = new()
    {
        ["Resilience:AppRetries"] = "false",
        ["Resilience:AttemptTimeoutMs"] = "2000",
        ["Resilience:TotalTimeoutMs"] = "5000",
    };

    [Fact]
    public void The_render_leaves_retries_to_the_mesh_and_gives_order_timeouts_longer_than_the_slow_charge()
    {
        Assert.Equal("false", RenderedForOrder["Resilience:AppRetries"]);
        Assert.All(new[] { "Resilience:AttemptTimeoutMs", "Resilience:TotalTimeoutMs" },
            key => Assert.True(int.Parse(RenderedForOrder[key]!, System.Globalization.CultureInfo.InvariantCulture) > AddedPaymentLatencyMs, $"{key} = {RenderedForOrder[key]}"));
    }

    [PostgresFact]
    public async Task A_charge_slower_than_2s_but_inside_the_mesh_timeout_completes()
    {
        var (status, stockTaken) = await PlaceOrderWithSlowPaymentAsync(RenderedForOrder);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(2, stockTaken);
    }

    [PostgresFact]
    public async Task Seeded_fault_the_apps_old_2s_attempt_timeout_abandons_the_same_charge()
    {
        // the app gives up on the charge after 2 s: the client gets 503 (recorded, not finished) for an order that the
        // same charge, left to the mesh's timeout, completes; its stock stays held until recovery settles it
        var (status, _) = await PlaceOrderWithSlowPaymentAsync(AppDefaults);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }

    private async Task<(HttpStatusCode Status, int StockTaken)> PlaceOrderWithSlowPaymentAsync(Dictionary<string, string?> orderSettings)
    {
        var options = new StackOptions { Payment = { ["Payment:AddedLatencyMs"] = AddedPaymentLatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        foreach (var (k, v) in orderSettings) options.Order[k] = v;
        await using var stack = await TestStack.StartAsync(postgres, options);
        using var gateway = stack.Gateway.Client();
        var before = await Http.StockAsync(gateway, "CAP-003");

        using var response = await Http.PostOrderAsync(gateway, Http.Order("judy", "CAP-003", 2));

        return (response.StatusCode, before - await Http.StockAsync(gateway, "CAP-003"));
    }
}
