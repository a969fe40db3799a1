using MeshStack.LocalRun;

namespace MeshStack.Services.Tests;

/// <summary>
/// One real PostgreSQL server (the distribution's package) for the whole collection, started on a loopback port
/// and stopped and deleted at the end. Each test stack gets a database of its own.
/// Without the server binaries: skipped locally, a loud failure when CI=true.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped, or null when they run (they always run on CI).</summary>
    public static string? SkipReason { get; } = PostgresServer.FindBinDirectory() is null && !IsCi
        ? "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BINDIR); with CI=true this is a failure instead."
        : null;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL was not started.");

    public async Task InitializeAsync()
    {
        if (PostgresServer.FindBinDirectory() is null)
        {
            if (IsCi)
            {
                throw new InvalidOperationException("CI=true but the PostgreSQL server binaries are missing: apt-get install postgresql.");
            }

            return;
        }

        _server = await PostgresServer.StartAsync(durable: false);
    }

    /// <summary>A new empty database owned by <paramref name="user"/> (the application's database user: the topology's).</summary>
    public Task<DatabaseAccess> NewDatabaseAsync(string user) => Server.CreateDatabaseAsync($"test_{Interlocked.Increment(ref _databases)}", user);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Every test that hosts services runs in this one collection, one at a time: the hosts share the process's
/// ActivitySources, so spans and sampling decisions of concurrently running hosts would mix.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "services";
}

/// <summary>A fact that needs the PostgreSQL server; see <see cref="PostgresFixture.SkipReason"/>.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresFixture.SkipReason;
}
