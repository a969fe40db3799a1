using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MeshStack.ServiceDefaults;

/// <summary>
/// The one call each service makes so that its Program.cs only has to describe its own API.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>
    /// Telemetry (OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set), health checks with draining readiness,
    /// ProblemDetails for every error, x-request-id forwarding and resilient HttpClients.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        AddDefaultSettings(builder.Configuration);

        builder.AddTelemetry(serviceName);

        builder.Services.AddSingleton<DrainState>();
        builder.Services.AddHostedService<DrainOnShutdown>();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live])
            .AddCheck<DrainingHealthCheck>("draining", tags: [HealthTags.Ready]);

        var maxBody = RequestLimits.MaxRequestBodyBytes(builder.Configuration);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (RequestIdMiddleware.Get(context.HttpContext) is { } requestId)
            {
                context.ProblemDetails.Extensions["requestId"] = requestId;
            }

            // Also where the refusal has no handler of ours (the gateway's proxy answers it with a bare status).
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                context.ProblemDetails.Detail ??= $"The request body may be at most {maxBody} bytes.";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures (malformed JSON, missing body) become exceptions so that one handler
        // can answer them as 400 ProblemDetails naming the field, instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.AddRequestLimits();

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOptions<ResilienceOptions>().BindConfiguration(ResilienceOptions.Section);
        builder.Services.AddTransient<RequestIdHandler>();
        builder.Services.AddTransient<ResilienceHandler>();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // The resilience handler sits outside the request-id handler, so every attempt carries the id.
            http.AddHttpMessageHandler<ResilienceHandler>();
            http.AddHttpMessageHandler<RequestIdHandler>();
        });

        return builder;
    }

    /// <summary>
    /// Error handling, request ids and the health endpoints. Call right after Build().
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestIdMiddleware>();

        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Live) });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Ready) });
        return app;
    }

    // Defaults that environment variables and arguments can still override: they go first in the source list.
    private static void AddDefaultSettings(IConfigurationManager configuration)
    {
        var defaults = new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                // Per-request framework logs would dominate the log volume (and the OTLP log export) under load.
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                ["Logging:LogLevel:Yarp"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
                // Spans are held until their batch is exported; the SDK's 512 keeps them long enough under load to be
                // promoted out of gen0 (about 3 MB more resident memory in order with tracing on). 128 costs no
                // measurable CPU. OTEL_BSP_MAX_EXPORT_BATCH_SIZE set in the environment still wins.
                ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "128",
            },
        };
        configuration.Sources.Insert(0, defaults);
    }
}

/// <summary>Tags that decide which health checks answer /healthz and which answer /readyz.</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
