using System.Diagnostics;
using System.Net;
using MeshStack.LocalRun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MeshStack.Services.Tests;

/// <summary>
/// What ServiceDefaults gives every service: health and draining, telemetry settings, OTLP export, ProblemDetails.
/// Shown on the api-gateway, the one service that needs no database (its upstreams are never called here).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class PlatformTests
{
    private static Task<ServiceHost> StartGatewayAsync(Dictionary<string, string?> settings, SpanLog? spans = null) =>
        ServiceHost.StartAsync("api-gateway", (a, c) => ApiGateway.Program.Build(a, c), GatewaySettings(settings), spans: spans);

    private static Dictionary<string, string?> GatewaySettings(Dictionary<string, string?> settings)
    {
        // the upstreams the topology wires it to, at an address nobody listens on
        foreach (var (key, value) in TestStack.Wired("api-gateway", _ => new Uri("http://127.0.0.1:1")).Where(s => s.Key.StartsWith("Downstream:", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Readiness_turns_false_while_draining_and_liveness_stays_true()
    {
        var settings = TestStack.BaseSettings();
        settings["Shutdown:DrainSeconds"] = "5";
        var gateway = await StartGatewayAsync(settings);
        using var client = gateway.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var stopping = gateway.App.StopAsync();
        var readiness = HttpStatusCode.OK;
        for (var deadline = DateTime.UtcNow.AddSeconds(3); readiness == HttpStatusCode.OK && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            readiness = (await client.GetAsync("/readyz")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        // Still serving real requests during the drain window.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/nowhere/{Guid.NewGuid()}")).StatusCode);
        await stopping;
        await gateway.App.DisposeAsync();
    }

    [Fact]
    public async Task Resource_comes_from_OTEL_settings_with_the_service_name_as_fallback()
    {
        var settings = TestStack.BaseSettings();
        await using (var plain = await StartGatewayAsync(settings))
        {
            Assert.Equal("api-gateway", Resource(plain)["service.name"]);
        }

        settings["OTEL_SERVICE_NAME"] = "api-gateway-eu";
        settings["OTEL_RESOURCE_ATTRIBUTES"] = "service.version=1.4.2,deployment.environment=prod,k8s.pod.name=api-gateway-7f9c,k8s.namespace.name=ecommerce";
        await using var configured = await StartGatewayAsync(settings);
        var resource = Resource(configured);
        Assert.Equal("api-gateway-eu", resource["service.name"]);
        Assert.Equal("1.4.2", resource["service.version"]);
        Assert.Equal("prod", resource["deployment.environment"]);
        Assert.Equal("api-gateway-7f9c", resource["k8s.pod.name"]);
        Assert.Equal("ecommerce", resource["k8s.namespace.name"]);

        static IReadOnlyDictionary<string, object> Resource(ServiceHost host) =>
            host.App.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
    }

    [Fact]
    public async Task Parent_based_ratio_sampling_follows_the_caller_and_the_ratio()
    {
        var spans = new SpanLog();
        var settings = TestStack.BaseSettings();
        settings["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio";
        settings["OTEL_TRACES_SAMPLER_ARG"] = "0";
        await using var gateway = await StartGatewayAsync(settings, spans: spans);
        using var client = gateway.Client();

        var sampledTrace = ActivityTraceId.CreateRandom();
        var unsampledTrace = ActivityTraceId.CreateRandom();
        await SendAsync(client, $"00-{sampledTrace}-{ActivitySpanId.CreateRandom()}-01");
        await SendAsync(client, $"00-{unsampledTrace}-{ActivitySpanId.CreateRandom()}-00");
        await SendAsync(client, traceparent: null); // a root: ratio 0 drops it
        await Task.Delay(200);

        Assert.Single(spans.Trace(sampledTrace), s => s.Kind == ActivityKind.Server);
        Assert.Empty(spans.Trace(unsampledTrace));
        Assert.All(spans.Distinct(), s => Assert.Equal(sampledTrace, s.TraceId));

        static async Task SendAsync(HttpClient client, string? traceparent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/nowhere/{Guid.NewGuid()}");
            if (traceparent is not null)
            {
                request.Headers.Add("traceparent", traceparent);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Traces_are_exported_over_OTLP_grpc_when_the_endpoint_is_set()
    {
        await using var collector = await OtlpSink.StartAsync();
        var settings = TestStack.BaseSettings();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/');
        var gateway = await StartGatewayAsync(settings);
        using (var client = gateway.Client())
        {
            using var response = await client.GetAsync($"/nowhere/{Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await gateway.DisposeAsync(); // flushes the batch exporters

        Assert.True(collector.Received.TryGetValue("opentelemetry.proto.collector.trace.v1.TraceService/Export", out var traces),
            "no trace export: " + string.Join(", ", collector.Received.Keys));
        Assert.True(traces.Bytes > 0);
    }

    [Fact]
    public async Task Request_ids_are_kept_or_made_and_always_echoed()
    {
        await using var gateway = await StartGatewayAsync(TestStack.BaseSettings());
        using var client = gateway.Client();

        using var given = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        given.Headers.Add("x-request-id", "abc-123");
        Assert.Equal("abc-123", (await client.SendAsync(given)).Headers.GetValues("x-request-id").Single());

        using var made = await client.GetAsync("/healthz");
        Assert.Matches("^[0-9a-f]{32}$", made.Headers.GetValues("x-request-id").Single());

        // Errors carry it too, so a problem report can be matched to logs.
        using var problem = await client.GetAsync($"/nowhere/{Guid.NewGuid()}");
        var body = await problem.AssertProblemAsync(404);
        Assert.Equal(problem.Headers.GetValues("x-request-id").Single(), body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Spans_are_exported_in_batches_of_128_unless_configured()
    {
        var settings = TestStack.BaseSettings();
        await using (var plain = await StartGatewayAsync(settings))
        {
            Assert.Equal(128, BatchSize(plain));
        }

        settings["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "256";
        await using var configured = await StartGatewayAsync(settings);
        Assert.Equal(256, BatchSize(configured));

        static int BatchSize(ServiceHost host) =>
            host.App.Services.GetRequiredService<IOptionsMonitor<BatchExportActivityProcessorOptions>>().CurrentValue.MaxExportBatchSize;
    }

    [Fact]
    public async Task The_metric_cardinality_limit_keeps_one_stream_per_instrument_and_its_advised_buckets()
    {
        var metrics = new List<Metric>();
        var app = ApiGateway.Program.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(GatewaySettings(TestStack.BaseSettings()));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        await app.StartAsync();
        await using var host = new ServiceHost("api-gateway", app, new Uri(app.Urls.Single()));
        using var client = host.Client();
        await client.GetAsync($"/nowhere/{Guid.NewGuid()}");
        host.App.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var duration = Assert.Single(metrics, m => m.Name == "http.server.request.duration");
        var bounds = new List<double>();
        foreach (ref readonly var point in duration.GetMetricPoints())
        {
            foreach (var bucket in point.GetHistogramBuckets())
            {
                bounds.Add(bucket.ExplicitBound);
            }
        }

        // ASP.NET Core's advised boundaries (seconds), not the SDK's millisecond defaults.
        Assert.Equal(0.005, bounds[0]);
    }

    [Fact]
    public void A_missing_downstream_address_stops_the_service_at_startup()
    {
        var settings = TestStack.BaseSettings();
        settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=unused";
        settings["Downstream:Payment"] = "http://127.0.0.1:1";

        var order = Assert.Throws<InvalidOperationException>(() => MeshStack.Order.Program.Build(
            ["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(settings)));
        Assert.Contains("Downstream__Inventory", order.Message);

        var gateway = Assert.Throws<InvalidOperationException>(() => ApiGateway.Program.Build(
            ["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(settings)));
        Assert.Contains("Downstream__Order", gateway.Message);
    }
}
