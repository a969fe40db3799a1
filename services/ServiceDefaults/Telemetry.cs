using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MeshStack.ServiceDefaults;

/// <summary>
/// OpenTelemetry traces, metrics and logs. Everything standard comes from the OTEL_* settings the SDK reads
/// itself (environment or configuration): OTEL_EXPORTER_OTLP_ENDPOINT/PROTOCOL, OTEL_SERVICE_NAME,
/// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER(_ARG). No sampler is set in code, so the SDK's
/// parent-based default or the configured one applies. W3C traceparent/tracestate propagation is the
/// SDK's and the HttpClient's default.
/// </summary>
public static class Telemetry
{
    /// <summary>Npgsql reports its commands on this ActivitySource and Meter.</summary>
    public const string NpgsqlSource = "Npgsql";

    /// <summary>
    /// Distinct tag sets kept per metric stream; further ones are folded into the SDK's overflow point.
    /// The SDK's default (2000) preallocates about 180 KB per instrument, some 9 MB for the ~50 instruments a
    /// service publishes, while ours carry a few dozen tag sets at most (routes x methods x status codes).
    /// </summary>
    public const int MetricCardinalityLimit = 200;

    public static TBuilder AddTelemetry<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            // The service's own name is the fallback; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win when set.
            .ConfigureResource(resource => resource
                .AddService(serviceName)
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                // GC, JIT, thread-pool and exception metrics, built into the runtime since .NET 9.
                .AddMeter("System.Runtime")
                .AddMeter(NpgsqlSource)
                // Changes only the limit: names, descriptions and the instruments' advised histogram buckets stay.
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricCardinalityLimit }))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(NpgsqlSource)
                // The services' own spans (order's recovery passes), named MeshStack.<service>.<what>.
                .AddSource("MeshStack.*"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    // Probes run every few seconds on every pod; their spans would only be noise.
    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(ServiceDefaultsExtensions.LivenessPath) || path.StartsWithSegments(ServiceDefaultsExtensions.ReadinessPath);
}
