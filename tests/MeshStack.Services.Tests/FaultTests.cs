using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MeshStack.Services.Tests;

/// <summary>Dependencies down or slow: order answers 503 ProblemDetails in time, stays healthy, and loses no stock.</summary>
[Collection(ServicesCollection.Name)]
public sealed class FaultTests(PostgresFixture postgres)
{
    // TestStack.BaseSettings: 1 s per attempt, 3 s per call in all; the rest is slack for a busy machine
    // (payment's added latency in the slow test is 10 s, so an answer inside the budget is the timeout's).
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(3) + TimeSpan.FromSeconds(3);

    [PostgresFact]
    public async Task Inventory_down_is_503_within_the_timeout_and_a_retry_with_the_key_finishes_the_order()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        using var order = stack.Order.Client();
        await stack.StopAsync("inventory");

        var clock = Stopwatch.StartNew();
        using var response = await Http.PostOrderAsync(gateway, Http.Order("frank"), "key-frank");
        clock.Stop();

        var problem = await response.AssertProblemAsync(503);
        Assert.Contains("inventory", problem.GetProperty("title").GetString());
        Assert.Equal("pending", problem.GetProperty("orderStatus").GetString());
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.True(clock.Elapsed < CallBudget, $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await order.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await order.GetAsync("/readyz")).StatusCode);

        // The same key once inventory is back: the same order, finished.
        await stack.RestartAsync("inventory");
        using var retried = await Http.PostOrderAsync(gateway, Http.Order("frank"), "key-frank");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(problem.GetProperty("orderId").GetGuid(), (await retried.ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(1, await Database.CountAsync(stack.ConnectionString, "orders"));
    }

    [PostgresFact]
    public async Task Payment_down_is_503_and_a_retry_with_the_key_charges_once_and_keeps_the_stock_exact()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "MUG-001");
        await stack.StopAsync("payment");

        var clock = Stopwatch.StartNew();
        using var response = await Http.PostOrderAsync(gateway, Http.Order("grace", "MUG-001", 4), "key-grace");
        clock.Stop();

        var problem = await response.AssertProblemAsync(503);
        Assert.Contains("payment", problem.GetProperty("title").GetString());
        Assert.True(clock.Elapsed < CallBudget, $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await stack.Order.Client().GetAsync("/healthz")).StatusCode);

        await stack.RestartAsync("payment");
        using var retried = await Http.PostOrderAsync(gateway, Http.Order("grace", "MUG-001", 4), "key-grace");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(stockBefore - 4, await Http.StockAsync(gateway, "MUG-001"));
        Assert.Equal(1, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'succeeded'"));
        Assert.Equal(1, await Database.CountAsync(stack.ConnectionString, "reservations WHERE status = 'committed'"));
    }

    [PostgresFact]
    public async Task Slow_payment_times_out_as_503_and_recovery_compensates_after_the_deadline()
    {
        var logs = new LogSink();
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions
        {
            Payment = { ["Payment:AddedLatencyMs"] = "10000" },
            Order = { ["Saga:DeadlineSeconds"] = "1", ["Saga:RecoveryIntervalSeconds"] = "1" },
            OrderLogs = logs,
        });
        using var gateway = stack.Gateway.Client();
        var stockBefore = await Http.StockAsync(gateway, "CAP-003");

        var clock = Stopwatch.StartNew();
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = Http.Order("heidi", "CAP-003", 2) };
        request.Headers.Add("Idempotency-Key", "key-heidi");
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01");
        using var response = await gateway.SendAsync(request);
        clock.Stop();

        var problem = await response.AssertProblemAsync(503);
        Assert.True(clock.Elapsed < CallBudget, $"took {clock.Elapsed}");

        // Recovery finds it past its deadline: stock released, the charge voided, the order failed.
        var id = problem.GetProperty("orderId").GetGuid();
        var final = await Eventually.OrderAsync(gateway, id, o => o.GetProperty("status").GetString() != "pending", TimeSpan.FromSeconds(20));
        Assert.Equal("failed", final.GetProperty("status").GetString());
        Assert.Equal(stockBefore, await Http.StockAsync(gateway, "CAP-003"));
        Assert.Equal(0, await Database.CountAsync(stack.ConnectionString, "payments WHERE status = 'succeeded'"));
        using var replay = await Http.PostOrderAsync(gateway, Http.Order("heidi", "CAP-003", 2), "key-heidi");
        Assert.Equal("failed", (await replay.AssertProblemAsync(409)).GetProperty("orderStatus").GetString());

        // What an operator sees, each with the order id and a trace id: the 503 (in the caller's trace), the
        // compensation, and the stuck order resolved by recovery.
        var entries = logs.Entries.Where(e => e.Values.TryGetValue("OrderId", out var logged) && Equals(logged, id)).ToList();
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Message.Contains("answered 503", StringComparison.Ordinal)
            && Equals(e.Values["TraceId"], traceId.ToString()));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Compensating order", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Message.Contains("(recovered, attempt", StringComparison.Ordinal)
            && e.Values["TraceId"] is string trace && trace.Length == 32);
    }

    [PostgresFact]
    public async Task App_retries_happen_only_when_the_switch_is_on()
    {
        Assert.Equal(3, await PaymentAttemptsWhenPaymentAnswers503(appRetries: true)); // 1 + Resilience:MaxRetries (2)
        Assert.Equal(1, await PaymentAttemptsWhenPaymentAnswers503(appRetries: false));
    }

    [PostgresFact]
    public async Task Order_down_is_a_502_problem_at_the_gateway()
    {
        await using var stack = await TestStack.StartAsync(postgres);
        using var gateway = stack.Gateway.Client();
        await stack.StopAsync("order");

        using var response = await gateway.GetAsync("/orders");

        await response.AssertProblemAsync(502);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/inventory")).StatusCode);
    }

    private async Task<int> PaymentAttemptsWhenPaymentAnswers503(bool appRetries)
    {
        var attempts = 0;
        var stack = await TestStack.StartAsync(postgres, new StackOptions
        {
            Order = { ["Resilience:AppRetries"] = appRetries ? "true" : "false" },
        });
        await using (stack)
        {
            // Replace payment with one that counts POST /payments and answers 503 (as an overloaded pod or a mesh would).
            var port = stack.Payment.Port;
            await stack.StopAsync("payment");
            await using var fake = await StartFakePaymentAsync(port, () => Interlocked.Increment(ref attempts));
            using var gateway = stack.Gateway.Client();

            using var response = await Http.PostOrderAsync(gateway, Http.Order("ivan"));

            await response.AssertProblemAsync(503);
            return attempts;
        }
    }

    private static async Task<WebApplication> StartFakePaymentAsync(int port, Action onCharge)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/payments", () =>
        {
            onCharge();
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        await app.StartAsync();
        return app;
    }
}
