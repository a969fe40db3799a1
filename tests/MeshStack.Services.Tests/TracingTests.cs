using System.Diagnostics;
using System.Net;

namespace MeshStack.Services.Tests;

/// <summary>One POST /orders through the gateway is one trace across four processes' worth of hosts.</summary>
[Collection(ServicesCollection.Name)]
public sealed class TracingTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task One_order_is_one_trace_from_gateway_through_order_to_inventory_and_payment()
    {
        var spans = new SpanLog();
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions { Spans = spans });
        using var gateway = stack.Gateway.Client();

        // The caller's own span context, as a browser or the mesh's edge would send it.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = Http.Order("trace-customer") };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        request.Headers.Add("x-request-id", "req-trace-1");

        using var response = await gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("req-trace-1", response.Headers.GetValues("x-request-id").Single());

        // Server spans end after their response is written; give the last ones a moment.
        IReadOnlyList<Activity> trace = [];
        var servers = new Dictionary<int, Activity>();
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            trace = spans.Trace(traceId);
            servers = trace.Where(s => s.Kind == ActivityKind.Server).GroupBy(Port).ToDictionary(g => g.Key, g => g.First());
            if (new[] { stack.Gateway.Port, stack.Order.Port, stack.Inventory.Port, stack.Payment.Port }.All(servers.ContainsKey))
            {
                break;
            }
        }

        var byId = trace.ToDictionary(s => s.SpanId);
        var gatewayServer = Server(stack.Gateway.Port, "/orders");
        var orderServer = Server(stack.Order.Port, "/orders");
        var inventoryServer = Server(stack.Inventory.Port, "/inventory/reservations");
        var paymentServer = Server(stack.Payment.Port, "/payments");

        // The gateway continues the caller's trace.
        Assert.Equal(callerSpanId, gatewayServer.ParentSpanId);
        // Each hop: a server span whose parent is the caller's client span, itself inside the caller's server span.
        AssertCalledFrom(orderServer, gatewayServer);
        AssertCalledFrom(inventoryServer, orderServer);
        AssertCalledFrom(paymentServer, orderServer);
        // The stock and the order are written inside those server spans (Npgsql's spans).
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && Ancestors(s).Contains(inventoryServer));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && Ancestors(s).Contains(orderServer));
        // x-request-id reached every service: the gateway forwarded it, order sent it on to inventory and payment.
        Assert.All(new[] { gatewayServer, orderServer, inventoryServer, paymentServer },
            s => Assert.Equal("req-trace-1", s.GetTagItem("http.request.header.x-request-id")));

        Activity Server(int port, string path)
        {
            Assert.True(servers.TryGetValue(port, out var span), $"no server span on port {port}; spans: {string.Join(", ", trace.Select(t => t.DisplayName))}");
            Assert.Equal(path, span!.GetTagItem("url.path"));
            return span;
        }

        void AssertCalledFrom(Activity server, Activity callerServer)
        {
            Assert.True(byId.TryGetValue(server.ParentSpanId, out var client), $"{server.DisplayName}: parent span not in the trace");
            Assert.Equal(ActivityKind.Client, client!.Kind);
            var callerChain = Ancestors(client).TakeWhile(s => s.Kind != ActivityKind.Server || s == callerServer).ToList();
            Assert.Contains(callerServer, callerChain);
        }

        IEnumerable<Activity> Ancestors(Activity span)
        {
            for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
            {
                yield return parent;
            }
        }
    }

    private static int Port(Activity span) => Convert.ToInt32(span.GetTagItem("server.port"), System.Globalization.CultureInfo.InvariantCulture);
}
