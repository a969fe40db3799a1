using MeshStack.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MeshStack.Postgres;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers one pooled <see cref="NpgsqlDataSource"/>, a readiness check that the database answers,
    /// and a hosted service that applies <paramref name="migrations"/> before the server starts listening.
    /// </summary>
    public static TBuilder AddPostgres<TBuilder>(this TBuilder builder, string owner, IReadOnlyList<Migration> migrations)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = PostgresSettings.ConnectionString(builder.Configuration);
        // The slim builder with only what the services use (arrays for inventory's batched statements, json for order's
        // items, TLS when the connection asks for it): the full builder registers every type mapping Npgsql has,
        // whose resolvers are then loaded and JIT-compiled in each process (Npgsql ships no ready-to-run code).
        builder.Services.AddSingleton(_ => new NpgsqlSlimDataSourceBuilder(connectionString)
            .EnableArrays()
            .EnableJsonTypes()
            .EnableTransportSecurity()
            .Build());
        builder.Services.AddSingleton(new MigrationPlan(owner, migrations));
        builder.Services.AddHostedService<MigrationRunner>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [HealthTags.Ready]);
        return builder;
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", exception);
        }
    }
}
