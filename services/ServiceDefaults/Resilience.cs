using System.Net;
using Microsoft.Extensions.Options;

namespace MeshStack.ServiceDefaults;

/// <summary>Settings for outgoing calls, section <c>Resilience</c>.</summary>
public sealed class ResilienceOptions
{
    public const string Section = "Resilience";

    /// <summary>
    /// Retry transient failures in the app. The infra sets this to false when the mesh retries,
    /// so a request is never retried at two layers; timeouts apply either way.
    /// </summary>
    public bool AppRetries { get; set; } = true;

    public int MaxRetries { get; set; } = 2;

    /// <summary>Time allowed for one attempt.</summary>
    public int AttemptTimeoutMs { get; set; } = 2_000;

    /// <summary>Time allowed for the call as a whole, retries and backoff included.</summary>
    public int TotalTimeoutMs { get; set; } = 5_000;

    public int BackoffMs { get; set; } = 100;
}

/// <summary>
/// Per-attempt and total timeouts for every outgoing call, and retries of transient failures when
/// <see cref="ResilienceOptions.AppRetries"/> is on. Only requests that are safe to repeat are retried:
/// GET/HEAD/PUT/DELETE/OPTIONS, or any request carrying an Idempotency-Key header.
/// A call that runs out of time throws <see cref="TimeoutException"/>.
/// </summary>
public sealed class ResilienceHandler(IOptionsMonitor<ResilienceOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var attempts = settings.AppRetries && IsRepeatable(request) ? 1 + Math.Max(0, settings.MaxRetries) : 1;

        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(settings.TotalTimeoutMs);

        for (var attempt = 1; ; attempt++)
        {
            using var perAttempt = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
            perAttempt.CancelAfter(settings.AttemptTimeoutMs);
            var last = attempt >= attempts;
            try
            {
                var response = await base.SendAsync(request, perAttempt.Token);
                if (last || !IsTransient(response.StatusCode))
                {
                    return response;
                }

                response.Dispose();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (last || total.IsCancellationRequested)
                {
                    throw new TimeoutException($"{request.Method} {request.RequestUri} did not answer in time.");
                }
            }
            catch (HttpRequestException) when (!last)
            {
                // Connection refused or reset: worth another attempt.
            }

            try
            {
                var backoff = settings.BackoffMs * (1 << (attempt - 1));
                await Task.Delay(backoff + Random.Shared.Next(settings.BackoffMs / 2 + 1), total.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{request.Method} {request.RequestUri} did not answer in time.");
            }
        }
    }

    private static bool IsRepeatable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put
        || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options
        || request.Headers.Contains("Idempotency-Key");

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
