using MeshStack.Inventory;
using MeshStack.Order;
using MeshStack.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MeshStack.Services.Tests;

[Collection(ServicesCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Replicas_migrating_at_once_apply_each_step_exactly_once()
    {
        var connectionString = (await postgres.NewDatabaseAsync(TestStack.Topology.Database.User)).ConnectionString;
        var configuration = new ConfigurationBuilder().Build();
        var dataSources = Enumerable.Range(0, 6).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            // Three "inventory" and three "order" replicas starting together.
            await Task.WhenAll(dataSources.Select((dataSource, i) => new MigrationRunner(
                dataSource,
                i % 2 == 0 ? new MigrationPlan("inventory", InventorySchema.Migrations) : new MigrationPlan("order", OrderSchema.Migrations),
                configuration,
                NullLogger<MigrationRunner>.Instance).StartAsync(CancellationToken.None)));

            await using var command = dataSources[0].CreateCommand(
                "SELECT (SELECT count(*) FROM schema_migrations), (SELECT count(*) FROM products), (SELECT sum(stock) FROM products)");
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(InventorySchema.Migrations.Count + OrderSchema.Migrations.Count, reader.GetInt64(0));
            Assert.Equal(6, reader.GetInt64(1));
            Assert.Equal(875, reader.GetInt64(2));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }
}

public sealed class PostgresSettingsTests
{
    [Fact]
    public void Libpq_variables_make_the_connection_string()
    {
        var connectionString = PostgresSettings.ConnectionString(Configuration(new()
        {
            ["PGHOST"] = "postgres.ecommerce.svc.cluster.local",
            ["PGPORT"] = "5433",
            ["PGDATABASE"] = "shop",
            ["PGUSER"] = "shop_app",
            ["PGPASSWORD"] = "from-a-secret",
        }));

        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal("postgres.ecommerce.svc.cluster.local", parsed.Host);
        Assert.Equal(5433, parsed.Port);
        Assert.Equal("shop", parsed.Database);
        Assert.Equal("shop_app", parsed.Username);
        Assert.Equal("from-a-secret", parsed.Password);
    }

    [Fact]
    public void An_explicit_connection_string_wins()
    {
        var connectionString = PostgresSettings.ConnectionString(Configuration(new()
        {
            ["ConnectionStrings:Postgres"] = "Host=db;Database=explicit",
            ["PGHOST"] = "ignored",
        }));

        Assert.Equal("Host=db;Database=explicit", connectionString);
    }

    [Fact]
    public void Nothing_configured_is_a_clear_startup_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresSettings.ConnectionString(Configuration(new())));
        Assert.Contains("PGHOST", error.Message);
        Assert.Contains("ConnectionStrings__Postgres", error.Message);

        var badPort = Assert.Throws<InvalidOperationException>(() =>
            PostgresSettings.ConnectionString(Configuration(new() { ["PGHOST"] = "db", ["PGPORT"] = "x" })));
        Assert.Contains("PGPORT", badPort.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
