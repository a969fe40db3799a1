using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshStack.ServiceDefaults;

/// <summary>Set once the host starts stopping; readiness reports unhealthy from then on.</summary>
public sealed class DrainState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void StartDraining() => _draining = true;
}

internal sealed class DrainingHealthCheck(DrainState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining
            ? HealthCheckResult.Unhealthy("draining for shutdown")
            : HealthCheckResult.Healthy());
}

/// <summary>
/// On SIGTERM: report not-ready first and keep serving for <c>Shutdown:DrainSeconds</c>, so the endpoints
/// controller (and the mesh) stop sending new requests before Kestrel stops accepting them; Kestrel then
/// finishes the requests in flight within the host's shutdown timeout.
/// </summary>
internal sealed class DrainOnShutdown(DrainState state, IConfiguration configuration, ILogger<DrainOnShutdown> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.StartDraining();
        var delay = TimeSpan.FromSeconds(configuration.GetValue("Shutdown:DrainSeconds", 5.0));
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        logger.LogInformation("Draining: readiness is now false; serving for {DrainSeconds} s before stopping", delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out first: stop now.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
