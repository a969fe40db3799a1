using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MeshStack.LocalRun;
using Npgsql;
using Xunit.Abstractions;

namespace MeshStack.Services.Tests;

/// <summary>
/// Faults against the services as separate processes and a real PostgreSQL: the database stopped for 10 s under a
/// bounded load, then inventory and payment killed (SIGKILL) mid-flight and restarted. Afterwards, within
/// <see cref="SettleBound"/> of the load's end, every order is final and the books agree (<see cref="BookInvariants"/>),
/// and every order a client was told is confirmed is confirmed.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ProcessFaultTests(PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>300 in the suite; MESHSTACK_FAULT_ORDERS sets another number for a measurement run.</summary>
    private static readonly int Orders =
        int.TryParse(Environment.GetEnvironmentVariable("MESHSTACK_FAULT_ORDERS"), out var orders) && orders > 0 ? orders : 300;

    // Spread over about 21 s, so the load spans both faults.
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(21) / Orders;

    /// <summary>
    /// Saga:DeadlineSeconds (10) + Saga:LeaseSeconds (10) + a recovery pass and its retry delay (1 + 2) + the slowest
    /// attempt (three calls of at most 3 s), with slack for a shared 2-core machine.
    /// </summary>
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(45);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Logging__LogLevel__Default"] = "Information",
        ["Resilience__AttemptTimeoutMs"] = "1000",
        ["Resilience__TotalTimeoutMs"] = "3000",
        ["Resilience__BackoffMs"] = "50",
        ["Postgres__StartupTimeoutSeconds"] = "30",
        ["Saga__LeaseSeconds"] = "10",
        ["Saga__DeadlineSeconds"] = "10",
        ["Saga__RecoveryIntervalSeconds"] = "1",
        ["Saga__MaxRetryDelaySeconds"] = "2",
        ["Inventory__ReservationTtlSeconds"] = "25",
        ["Inventory__ExpirySweepSeconds"] = "1",
    };

    [PostgresFact]
    public async Task A_database_outage_and_killed_services_leave_every_order_final_and_the_books_exact()
    {
        _ = postgres; // the shared server stays up; this test stops a server of its own
        // Durable: the outage is an immediate stop, a crash as far as PostgreSQL knows, and without fsync and synchronous
        // commit it loses commits it had acknowledged (measured: a client answered 201 whose order then came back
        // pending and was compensated).
        await using var server = await PostgresServer.StartAsync(durable: true);
        var access = await server.CreateDatabaseAsync("faults", TestStack.Topology.Database.User);
        var database = access.ConnectionString;
        // The services' logs stay for a failed run (named in the output) and are deleted after a passing one.
        var logs = Directory.CreateTempSubdirectory("meshstack-faults-").FullName;
        output.WriteLine($"service logs: {logs}");
        await using var stack = await LocalStack.StartAsync(new LocalStackOptions
        {
            Topology = TestStack.Topology,
            Database = access,
            Without = ["frontend"],
            LogDirectory = logs,
            Environment = Settings,
        }, TimeSpan.FromSeconds(90));
        var initialStock = await BookInvariants.StockAsync(database);
        using var http = new HttpClient { BaseAddress = stack["api-gateway"].Address, Timeout = TimeSpan.FromSeconds(15) };
        var answers = new ConcurrentDictionary<string, List<int>>();
        var clock = Stopwatch.StartNew();

        var faults = Task.Run(async () =>
        {
            await UntilAsync(clock, TimeSpan.FromSeconds(2));
            await server.StopServerAsync();
            await UntilAsync(clock, TimeSpan.FromSeconds(12));
            await server.StartServerAsync();
            await UntilAsync(clock, TimeSpan.FromSeconds(15));
            await stack.KillAsync("inventory");
            await stack.KillAsync("payment");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stack.RestartAsync("inventory", TimeSpan.FromSeconds(60));
            await stack.RestartAsync("payment", TimeSpan.FromSeconds(60));
        });

        string[] skus = ["MUG-001", "TEE-002", "CAP-003", "STK-004", "HOOD-005", "BOOK-006"];
        var load = Task.WhenAll(Enumerable.Range(0, Orders).Select(async i =>
        {
            await UntilAsync(clock, Spacing * i);
            var key = $"fault-{i}";
            var seen = answers.GetOrAdd(key, _ => []);
            // A client that retries a 503 (or a cut connection) twice with the same key, then gives up.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var status = await PostAsync(http, key, $"fault-{i % 20}", skus[i % skus.Length], 1 + i % 2);
                lock (seen)
                {
                    seen.Add(status);
                }

                if (status is not (503 or 502 or 0))
                {
                    break;
                }

                await Task.Delay(500);
            }
        }));

        await load;
        await faults;
        var loadEnded = clock.Elapsed;
        // This process's own pooled connections died with the server.
        NpgsqlConnection.ClearAllPools();
        long pending;
        while ((pending = await Database.CountAsync(database, "orders WHERE status = 'pending'")) > 0)
        {
            Assert.True(clock.Elapsed - loadEnded < SettleBound, $"{pending} orders still pending {SettleBound.TotalSeconds} s after the load");
            await Task.Delay(250);
        }

        var settled = clock.Elapsed - loadEnded;
        Assert.Empty(await BookInvariants.CheckAsync(database, initialStock));

        // Every order a client saw confirmed (201) is confirmed, and so is what any other answer became.
        var statuses = await StatusesByKeyAsync(database);
        foreach (var (key, seen) in answers)
        {
            if (seen.Contains(201))
            {
                Assert.Equal("confirmed", statuses.GetValueOrDefault(key));
            }
        }

        var counts = statuses.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var answered = answers.Values.SelectMany(a => a).GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}");
        output.WriteLine($"{Orders} keys, load {loadEnded.TotalSeconds:0.0} s, every order final {settled.TotalSeconds:0.0} s after it");
        output.WriteLine($"answers seen by clients: {string.Join(", ", answered)}");
        output.WriteLine($"orders: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}; keys never placed (only 503s while the database was down): {Orders - statuses.Count}");
        var recovered = CountInLogs(logs, "(recovered, attempt");
        output.WriteLine($"recovered by the recovery process: {recovered}, compensated: {CountInLogs(logs, "Compensating order")}");
        // The faults did leave orders for recovery, and orders went through around them.
        Assert.True(recovered > 0, "no order needed recovery: the faults missed the load");
        Assert.True(counts.GetValueOrDefault("confirmed") > 0, "no order was confirmed");
        await stack.DisposeAsync();
        Directory.Delete(logs, recursive: true);
    }

    private static async Task<int> PostAsync(HttpClient http, string key, string customer, string sku, int quantity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent.Create(new { customerId = customer, items = new[] { new { sku, quantity } } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static async Task<Dictionary<string, string>> StatusesByKeyAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT idempotency_key, status FROM orders", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            statuses[reader.GetString(0)] = reader.GetString(1);
        }

        return statuses;
    }

    private static int CountInLogs(string directory, string text) =>
        Directory.GetFiles(directory, "*.log").Sum(file => File.ReadLines(file).Count(line => line.Contains(text, StringComparison.Ordinal)));

    private static async Task UntilAsync(Stopwatch clock, TimeSpan at)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
