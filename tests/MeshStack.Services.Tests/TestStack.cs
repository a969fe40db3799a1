using System.Collections;
using System.Diagnostics;
using MeshStack.LocalRun;
using MeshStack.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace MeshStack.Services.Tests;

/// <summary>One service running as a real Kestrel host on a 127.0.0.1 port inside the test process.</summary>
public sealed class ServiceHost(string name, WebApplication app, Uri address) : IAsyncDisposable
{
    public string Name { get; } = name;
    public WebApplication App { get; } = app;
    public Uri Address { get; } = address;
    public int Port => Address.Port;

    /// <summary>
    /// A client that sends trace headers only when a test sets them: the test process listens to System.Net.Http
    /// too, and would otherwise replace them with its own client span's.
    /// </summary>
    public HttpClient Client() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static async Task<ServiceHost> StartAsync(
        string name,
        Func<string[], Action<WebApplicationBuilder>, WebApplication> build,
        IReadOnlyDictionary<string, string?> settings,
        int port = 0,
        SpanLog? spans = null,
        LogSink? logs = null)
    {
        var app = build(["--urls", $"http://127.0.0.1:{port}"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }

            if (spans is not null)
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            }
        });
        await app.StartAsync();
        return new ServiceHost(name, app, new Uri(app.Urls.Single()));
    }
}

/// <summary>What a test changes about the stack it starts.</summary>
public sealed record StackOptions
{
    public Dictionary<string, string?> All { get; init; } = [];
    public Dictionary<string, string?> Order { get; init; } = [];
    public Dictionary<string, string?> Payment { get; init; } = [];

    /// <summary>JWT settings (<see cref="TestIssuer.Settings"/>) for the services that check tokens themselves (topology).</summary>
    public Dictionary<string, string?> Jwt { get; init; } = [];

    public bool WithFrontend { get; init; }
    public SpanLog? Spans { get; init; }

    /// <summary>Receives order's log entries (at the levels the settings let through).</summary>
    public LogSink? OrderLogs { get; init; }
}

/// <summary>
/// The ecommerce topology's services (the frontend only when asked for) as real Kestrel hosts on loopback ports, wired
/// as the infra wires them (<see cref="LocalWiring"/>: a Downstream setting per declared call, PG* as the application's
/// database user where the topology says a service uses the database), on a fresh database of the shared server.
/// </summary>
public sealed class TestStack : IAsyncDisposable
{
    /// <summary>The application the services implement.</summary>
    public static AppTopology Topology { get; } = EcommerceApp.Declare();

    private readonly Dictionary<string, ServiceHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<int, Task<ServiceHost>>> _starters = new(StringComparer.Ordinal);
    private readonly List<string> _startOrder = [];

    public ServiceHost Inventory => _hosts["inventory"];
    public ServiceHost Payment => _hosts["payment"];
    public ServiceHost Order => _hosts["order"];
    public ServiceHost Gateway => _hosts["api-gateway"];
    public ServiceHost Frontend => _hosts["frontend"];

    /// <summary>The stack's database, as the services' user.</summary>
    public string ConnectionString { get; private init; } = "";

    /// <summary>Settings every test host gets: quiet logs, no drain delay, short timeouts.</summary>
    public static Dictionary<string, string?> BaseSettings() => new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        ["Shutdown:DrainSeconds"] = "0",
        ["Postgres:StartupTimeoutSeconds"] = "5",
        ["Resilience:AttemptTimeoutMs"] = "1000",
        ["Resilience:TotalTimeoutMs"] = "3000",
        ["Resilience:BackoffMs"] = "20",
    };

    /// <summary>
    /// <see cref="BaseSettings"/> plus <paramref name="service"/>'s wiring from the topology: each service it calls at
    /// <paramref name="address"/>, the database when it uses one.
    /// </summary>
    public static Dictionary<string, string?> Wired(string service, Func<AppService, Uri> address, DatabaseAccess? database = null)
    {
        var settings = BaseSettings();
        foreach (var (variable, value) in LocalWiring.Environment(Topology, Topology.Service(service), address, database))
        {
            settings[LocalWiring.ConfigurationKey(variable)] = value;
        }

        return settings;
    }

    public static async Task<TestStack> StartAsync(PostgresFixture postgres, StackOptions? options = null)
    {
        options ??= new StackOptions();
        var database = await postgres.NewDatabaseAsync(Topology.Database.User);
        var stack = new TestStack { ConnectionString = database.ConnectionString };
        try
        {
            // callees first: a caller is built with its callees' addresses
            foreach (var service in LocalWiring.CallersFirst(Topology).Reverse().Where(s => options.WithFrontend || s.Name != "frontend"))
            {
                var settings = Wired(service.Name, callee => stack._hosts[callee.Name].Address, database);
                var own = service.Name switch
                {
                    "order" => options.Order,
                    "payment" => options.Payment,
                    _ => new Dictionary<string, string?>(),
                };
                var jwt = service.ValidatesEndUserTokens ? options.Jwt : new Dictionary<string, string?>();
                foreach (var (key, value) in options.All.Concat(jwt).Concat(own))
                {
                    settings[key] = value;
                }

                var build = ServiceEntryPoint.For(service);
                var logs = service.Name == "order" ? options.OrderLogs : null;
                stack._starters[service.Name] = port => ServiceHost.StartAsync(service.Name, build, settings, port, options.Spans, logs);
                stack._startOrder.Add(service.Name);
                await stack.StartAsync(service.Name);
            }

            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops a service the way Kubernetes does (graceful host shutdown); its port stays reserved for a restart.</summary>
    public async Task StopAsync(string name)
    {
        var host = _hosts[name];
        _hosts.Remove(name);
        _stoppedPorts[name] = host.Port;
        await host.DisposeAsync();
    }

    /// <summary>Starts a stopped service again on the port it had, so its callers need no new address.</summary>
    public Task RestartAsync(string name) => StartAsync(name, _stoppedPorts[name]);

    private readonly Dictionary<string, int> _stoppedPorts = new(StringComparer.Ordinal);

    private async Task StartAsync(string name, int port = 0) => _hosts[name] = await _starters[name](port);

    public async ValueTask DisposeAsync()
    {
        // Callers first, so nothing calls a service that is already gone.
        foreach (var name in Enumerable.Reverse(_startOrder))
        {
            if (_hosts.Remove(name, out var host))
            {
                await host.DisposeAsync();
            }
        }
    }
}

/// <summary>A thread-safe span list for the in-memory exporter (hosts export from their own threads).</summary>
public sealed class SpanLog : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>
    /// The distinct spans of one trace. Every host's tracer provider listens to the same ActivitySources in a
    /// shared process, so each span may be exported once per host; the Activity objects are the same.
    /// </summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.TraceId == traceId).Distinct().ToList();
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
