using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MeshStack.Postgres;

/// <summary>One schema step. Versions of one owner are applied in order, each exactly once.</summary>
public sealed record Migration(int Version, string Description, string Sql);

public sealed record MigrationPlan(string Owner, IReadOnlyList<Migration> Migrations);

/// <summary>
/// Applies the owner's pending migrations at startup. Safe when several replicas (or services) start at once:
/// the whole step runs in one transaction that first takes a cluster-wide advisory lock, so the others wait,
/// then see the versions already recorded and apply nothing. Waits for the database to come up.
/// </summary>
public sealed class MigrationRunner(
    NpgsqlDataSource dataSource, MigrationPlan plan, IConfiguration configuration, ILogger<MigrationRunner> logger) : IHostedService
{
    // Any fixed number works, as long as every MeshStack service uses the same one.
    private const long AdvisoryLockKey = 0x4D657368_53746B;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(configuration.GetValue("Postgres:StartupTimeoutSeconds", 60.0));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(plan, cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("PostgreSQL not reachable yet (attempt {Attempt}): {Reason}", attempt, exception.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 200 * attempt)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(MigrationPlan migrationPlan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", AdvisoryLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                owner       text        NOT NULL,
                version     integer     NOT NULL,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (owner, version))
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations WHERE owner = @owner", connection, transaction))
        {
            command.Parameters.AddWithValue("owner", migrationPlan.Owner);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var migration in migrationPlan.Migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var command = new NpgsqlCommand(
                "INSERT INTO schema_migrations (owner, version, description) VALUES (@owner, @version, @description)", connection, transaction))
            {
                command.Parameters.AddWithValue("owner", migrationPlan.Owner);
                command.Parameters.AddWithValue("version", migration.Version);
                command.Parameters.AddWithValue("description", migration.Description);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            logger.LogInformation("Applied migration {Owner} v{Version}: {Description}", migrationPlan.Owner, migration.Version, migration.Description);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
