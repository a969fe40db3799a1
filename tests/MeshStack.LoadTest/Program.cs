using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Ecommerce.AppHost;
using MeshStack.LocalRun;
using Npgsql;

// dotnet run -c Release --project tests/MeshStack.LoadTest [-- --requests 2000 --warmup 300 --concurrency 8 --rounds 3 --env KEY=VALUE ...]
// Starts PostgreSQL, an OTLP sink and inventory, payment, order and api-gateway as separate processes on loopback;
// then, per round and per mode, a fresh stack takes a warm-up and a fixed number of POST /orders through the gateway.
// Modes: "off" samples no traces (OTEL_TRACES_SAMPLER=always_off); "on" samples every trace
// (parentbased_traceidratio, 1.0) and exports it over OTLP/gRPC. Metrics and logs are exported in both.
// The frontend runs too and renders its page (GET /) once per ten orders, so its memory under load is measured as well.
// Prints p50/p99 latency, requests per second, the order path's CPU per order and each service's resident memory;
// stops by itself.
var settings = Settings.Parse(args);
var modes = new[] { "off", "on" };
var runs = new List<Run>();
var logDirectory = Directory.CreateTempSubdirectory("meshstack-load-").FullName;
Console.WriteLine($"{settings.Requests} requests (after {settings.Warmup} warm-up) x {settings.Rounds} rounds, concurrency {settings.Concurrency}; logs in {logDirectory}");

await using var postgres = await PostgresServer.StartAsync(durable: false);
await using var sink = await OtlpSink.StartAsync();

for (var round = 1; round <= settings.Rounds; round++)
{
    foreach (var mode in modes)
    {
        var run = await RunAsync(round, mode);
        runs.Add(run);
        Console.WriteLine(run);
    }
}

Console.WriteLine();
Console.WriteLine("mode  p50 ms (median of rounds)  p99 ms (median)  req/s (median)  CPU ms/request (median)  errors");
foreach (var mode in modes)
{
    var ofMode = runs.Where(r => r.Mode == mode).ToList();
    Console.WriteLine($"{mode,-5} {Median(ofMode.Select(r => r.P50)),26:F2} {Median(ofMode.Select(r => r.P99)),16:F2} {Median(ofMode.Select(r => r.Rps)),15:F0} {Median(ofMode.Select(r => r.CpuMs)),24:F2} {ofMode.Sum(r => r.Errors),7}");
}

var p50Off = Median(runs.Where(r => r.Mode == "off").Select(r => r.P50));
var p50On = Median(runs.Where(r => r.Mode == "on").Select(r => r.P50));
Console.WriteLine($"tracing cost at p50: {(p50On / p50Off - 1) * 100:F1}% (target: at most 15%)");
// Latency on a shared machine moves with whatever else runs; CPU used per request much less so.
var cpuOff = Median(runs.Where(r => r.Mode == "off").Select(r => r.CpuMs));
var cpuOn = Median(runs.Where(r => r.Mode == "on").Select(r => r.CpuMs));
Console.WriteLine($"tracing cost in the services' CPU per request: {(cpuOn / cpuOff - 1) * 100:F1}%");
Console.WriteLine("peak RSS under load, MB (max over rounds):");
foreach (var mode in modes)
{
    var peaks = runs.Where(r => r.Mode == mode).SelectMany(r => r.PeakRss)
        .GroupBy(p => p.Key).Select(g => $"{g.Key} {g.Max(p => p.Value) / 1024.0 / 1024.0:F0}");
    Console.WriteLine($"  tracing {mode}: {string.Join(", ", peaks)}");
}

foreach (var (method, (exports, bytes)) in sink.Received.OrderBy(r => r.Key))
{
    Console.WriteLine($"OTLP received {method}: {exports} exports, {bytes / 1024} KiB");
}

return runs.Sum(r => r.Errors) == 0 ? 0 : 1;

async Task<Run> RunAsync(int round, string mode)
{
    var topology = EcommerceApp.Declare();
    var database = await postgres.CreateDatabaseAsync($"load_{round}_{mode}", topology.Database.User);
    var connectionString = database.ConnectionString;
    await using var stack = await LocalStack.StartAsync(new LocalStackOptions
    {
        Topology = topology,
        Database = database,
        OtlpEndpoint = sink.Endpoint,
        LogDirectory = Path.Combine(logDirectory, $"{round}-{mode}"),
        Environment = new Dictionary<string, string>(settings.Environment)
        {
            ["OTEL_TRACES_SAMPLER"] = mode == "on" ? "parentbased_traceidratio" : "always_off",
            ["OTEL_TRACES_SAMPLER_ARG"] = "1.0",
        },
    }, TimeSpan.FromSeconds(60));

    // Enough stock that no request of the run is turned away.
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE products SET stock = 1000000", connection);
        await command.ExecuteNonQueryAsync();
    }

    using var http = new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = settings.Concurrency,
        ActivityHeadersPropagator = null,
    })
    {
        BaseAddress = stack["api-gateway"].Address,
        Timeout = TimeSpan.FromSeconds(30),
    };
    using var page = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
    {
        BaseAddress = stack["frontend"].Address,
        Timeout = TimeSpan.FromSeconds(30),
    };
    var orderPath = stack.Processes.Where(p => p.Service.Name != "frontend").ToList();

    await DriveAsync(http, page, settings.Warmup, $"warm-{round}-{mode}");
    foreach (var process in stack.Processes)
    {
        // Reset each process's peak RSS so the peak is the measured run's ("5" clears VmHWM).
        File.WriteAllText($"/proc/{process.Id}/clear_refs", "5");
    }

    var peaks = stack.Processes.ToDictionary(p => p.Service.Name, _ => 0L);
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            foreach (var process in stack.Processes)
            {
                peaks[process.Service.Name] = Math.Max(peaks[process.Service.Name], process.Memory().Current);
            }

            await Task.Delay(100);
        }
    });

    // CPU of the order path only (gateway, order, inventory, payment), comparable with runs before the frontend took part.
    var cpuBefore = orderPath.Sum(p => p.CpuTime().TotalMilliseconds);
    var clock = Stopwatch.StartNew();
    var (latencies, errors) = await DriveAsync(http, page, settings.Requests, $"run-{round}-{mode}");
    clock.Stop();
    var cpuPerRequest = (orderPath.Sum(p => p.CpuTime().TotalMilliseconds) - cpuBefore) / settings.Requests;
    await sampling.CancelAsync();
    await sampler;
    foreach (var process in stack.Processes)
    {
        peaks[process.Service.Name] = Math.Max(peaks[process.Service.Name], process.Memory().Peak);
    }

    Array.Sort(latencies);
    return new Run(round, mode, Percentile(latencies, 0.50), Percentile(latencies, 0.99), settings.Requests / clock.Elapsed.TotalSeconds, cpuPerRequest, errors, peaks);
}

async Task<(double[] Latencies, int Errors)> DriveAsync(HttpClient http, HttpClient page, int count, string keyPrefix)
{
    string[] skus = ["MUG-001", "TEE-002", "CAP-003", "STK-004", "HOOD-005", "BOOK-006"];
    var latencies = new double[count];
    var errors = 0;
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(async _ =>
    {
        for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
            {
                Content = JsonContent.Create(new { customerId = $"load-{i % 50}", items = new[] { new { sku = skus[i % skus.Length], quantity = 1 } } }),
            };
            request.Headers.Add("Idempotency-Key", $"{keyPrefix}-{i}");
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref errors);
            }

            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i % 10 == 0)
            {
                try
                {
                    using var rendered = await page.GetAsync("/");
                    if (rendered.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }
    }));
    return (latencies, errors);
}

static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

internal sealed record Run(int Round, string Mode, double P50, double P99, double Rps, double CpuMs, int Errors, Dictionary<string, long> PeakRss)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"round {Round} tracing {Mode,-3}: p50 {P50:F2} ms, p99 {P99:F2} ms, {Rps:F0} req/s, services' CPU {CpuMs:F2} ms/request, {Errors} errors; peak RSS MB: ")
        + string.Join(", ", PeakRss.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value / 1024.0 / 1024.0:F0}")));
}

/// <summary>--env KEY=VALUE (repeatable) sets an environment variable for every service, e.g. a runtime knob to compare.</summary>
internal sealed record Settings(int Requests, int Warmup, int Concurrency, int Rounds, IReadOnlyDictionary<string, string> Environment)
{
    public static Settings Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0 ? value : fallback;
        }

        var environment = args.Zip(args.Skip(1))
            .Where(pair => pair.First == "--env" && pair.Second.Contains('=', StringComparison.Ordinal))
            .Select(pair => pair.Second.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);
        return new Settings(Value("--requests", 2000), Value("--warmup", 300), Value("--concurrency", 8), Value("--rounds", 3), environment);
    }
}
