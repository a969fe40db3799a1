using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Ecommerce.AppHost;
using MeshStack.LocalRun;

// dotnet run --project services/LocalRun [-- --base-port 5100] [--otlp URL] [--postgres CONNECTION-STRING] [--fast] [--smoke]
// Starts PostgreSQL (unless --postgres; durable unless --fast) and the ecommerce application's services (its topology:
// infra/MeshStack.Infra), wired to each other as its calls declare and to an
// OTLP endpoint: --otlp, else OTEL_EXPORTER_OTLP_ENDPOINT, else a built-in counting sink on 127.0.0.1:4317.
// Runs until Ctrl+C, SIGINT or SIGTERM (at any point, startup included), then stops every child it started;
// --smoke places one order through the gateway, reads the frontend page, and stops.
var options = ParseArguments(args);
var logDirectory = Directory.CreateTempSubdirectory("meshstack-local-").FullName;

// From the first moment: a signal cancels whatever is under way, and the disposals below stop what was started.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => { context.Cancel = true; stop.Cancel(); });

try
{
    return await RunAsync(options, logDirectory, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("Stopped.");
    return 130;
}

static async Task<int> RunAsync((int BasePort, Uri? Otlp, DatabaseAccess? Postgres, bool Smoke, bool Fast) options, string logDirectory, CancellationToken stop)
{
    var topology = EcommerceApp.Declare();
    // Not cancelled half way: a server that is starting would be left behind; a signal is honoured right after.
    await using var postgres = options.Postgres is null ? await PostgresServer.StartAsync(durable: !options.Fast) : null;
    stop.ThrowIfCancellationRequested();
    // the application's database and user, as in each cluster (topology.Database)
    var database = options.Postgres ?? await postgres!.CreateDatabaseAsync(topology.Database.Name, topology.Database.User, stop);

    await using var sink = options.Otlp is null ? await StartSinkAsync() : null;
    var otlp = options.Otlp ?? sink!.Endpoint;

    Console.WriteLine($"Starting the services (logs in {logDirectory}) ...");
    await using var stack = await LocalStack.StartAsync(new LocalStackOptions
    {
        Topology = topology,
        Database = database,
        OtlpEndpoint = otlp,
        BasePort = options.BasePort,
        LogDirectory = logDirectory,
    }, TimeSpan.FromSeconds(120), stop);

    foreach (var process in stack.Processes)
    {
        Console.WriteLine($"  {process.Service.Name,-12} {process.Address}  (pid {process.Id})");
    }

    Console.WriteLine($"  OTLP         {otlp}{(sink is null ? "" : " (built-in sink: counts exports only)")}");
    Console.WriteLine($"Open {stack["frontend"].Address} for the shop; the API is at {stack["api-gateway"].Address}orders");

    if (options.Smoke)
    {
        using var http = new HttpClient { BaseAddress = stack["api-gateway"].Address };
        using var placed = await http.PostAsJsonAsync("/orders", new { customerId = "smoke", items = new[] { new { sku = "MUG-001", quantity = 1 } } });
        Console.WriteLine($"POST /orders -> {(int)placed.StatusCode}: {await placed.Content.ReadAsStringAsync()}");
        var page = await http.GetStringAsync(stack["frontend"].Address);
        Console.WriteLine($"GET frontend / -> {page.Length} characters, lists 'Mesh mug': {page.Contains("Mesh mug", StringComparison.Ordinal)}");
        await Task.Delay(TimeSpan.FromSeconds(6), stop); // one batch-export interval, so the sink has something to count
    }
    else
    {
        Console.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    Console.WriteLine("Stopping ...");
    if (sink is not null)
    {
        foreach (var (method, (exports, bytes)) in sink.Received.OrderBy(r => r.Key))
        {
            Console.WriteLine($"  OTLP {method}: {exports} exports, {bytes} bytes");
        }
    }

    return 0;
}

static async Task<OtlpSink> StartSinkAsync()
{
    try
    {
        return await OtlpSink.StartAsync(4317);
    }
    catch (IOException)
    {
        return await OtlpSink.StartAsync(); // 4317 is taken (a real collector?): any free port
    }
}

static (int BasePort, Uri? Otlp, DatabaseAccess? Postgres, bool Smoke, bool Fast) ParseArguments(string[] args)
{
    int basePort = 5100;
    Uri? otlp = Uri.TryCreate(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"), UriKind.Absolute, out var fromEnvironment)
        ? fromEnvironment
        : null;
    DatabaseAccess? postgres = null;
    var smoke = false;
    var fast = false;
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--base-port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var port):
                basePort = port;
                i++;
                break;
            case "--otlp" when i + 1 < args.Length && Uri.TryCreate(args[i + 1], UriKind.Absolute, out var endpoint):
                otlp = endpoint;
                i++;
                break;
            case "--postgres" when i + 1 < args.Length:
                try
                {
                    postgres = DatabaseAccess.Parse(args[++i]);
                }
                catch (FormatException exception)
                {
                    Console.Error.WriteLine($"--postgres: {exception.Message}");
                    Environment.Exit(2);
                }

                break;
            case "--smoke":
                smoke = true;
                break;
            case "--fast":
                // fsync, synchronous commit and full-page writes off: quicker, and a crash of this machine may lose data.
                fast = true;
                break;
            default:
                Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Use --base-port N, --otlp URL, --postgres CONNECTION-STRING, --fast, --smoke.");
                Environment.Exit(2);
                break;
        }
    }

    return (basePort, otlp, postgres, smoke, fast);
}
