using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using MeshStack.LocalRun;
using Microsoft.Extensions.Logging;

namespace MeshStack.Services.Tests;

/// <summary>
/// What a service exports over OTLP, seen on the wire by a stand-in collector: exactly traces, metrics and logs, the
/// three signals the infra's collector has pipelines for (infra Tracing/OtelCollectorRelease.cs; checked per rendered
/// stack by the infra's CollectorMetricsScrapeTests), so nothing is exported into an Unimplemented answer.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TelemetrySignalsTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task A_service_exports_exactly_traces_metrics_and_logs_over_OTLP()
    {
        var paths = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.Run(context =>
        {
            paths.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        await collector.StartAsync();

        // the services run as their own processes, as in a cluster: OpenTelemetry's providers are per process, and
        // in-process hosts started one after another by other tests share the runtime's meters with them
        var logs = Directory.CreateTempSubdirectory("meshstack-telemetry-").FullName;
        await using var stack = await LocalStack.StartAsync(new LocalStackOptions
        {
            Topology = TestStack.Topology,
            Database = await postgres.NewDatabaseAsync(TestStack.Topology.Database.User),
            Without = ["frontend"],
            LogDirectory = logs,
            Environment = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.Single(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                // export within the test's patience rather than the SDK's defaults (60 s for metrics, 5 s for spans and logs)
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_TRACES_SAMPLER"] = "always_on",
                // the request log lines (Microsoft.AspNetCore.Hosting, Information) are the log records to export
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            },
        }, TimeSpan.FromSeconds(90));
        using var client = new HttpClient { BaseAddress = stack["api-gateway"].Address };

        var expected = new[] { "/v1/logs", "/v1/metrics", "/v1/traces" };
        for (var i = 0; i < 100 && !expected.All(paths.ContainsKey); i++)
        {
            using var _ = await client.GetAsync("/inventory");
            await Task.Delay(100);
        }

        Assert.Equal(expected, paths.Keys.Order(StringComparer.Ordinal));
        Directory.Delete(logs, recursive: true);
    }
}
