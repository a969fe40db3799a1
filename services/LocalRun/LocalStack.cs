using MeshStack.Topology;

namespace MeshStack.LocalRun;

public sealed class LocalStackOptions
{
    /// <summary>The application: which services run, whom each calls, which use the database.</summary>
    public required AppTopology Topology { get; init; }

    /// <summary>The database of the services that use one, and the user they connect as.</summary>
    public required DatabaseAccess Database { get; init; }

    /// <summary>OTLP/gRPC endpoint for every service; null: no export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>
    /// The services take BasePort, BasePort+1, ... in callers-first order (<see cref="LocalWiring.CallersFirst"/>;
    /// ecommerce: frontend, api-gateway, order, inventory, payment); 0 picks free ports.
    /// </summary>
    public int BasePort { get; init; }

    /// <summary>Extra settings for every service (e.g. OTEL_TRACES_SAMPLER), overriding the defaults here.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public required string LogDirectory { get; init; }

    /// <summary>Services of the topology not to start (a run without the frontend); their callers still get their addresses.</summary>
    public IReadOnlyCollection<string> Without { get; init; } = [];
}

/// <summary>The topology's services as separate processes on loopback, wired to each other as the infra wires them.</summary>
public sealed class LocalStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes;
    private readonly Dictionary<string, Func<ServiceProcess>> _starters;

    private LocalStack(List<ServiceProcess> processes, Dictionary<string, Func<ServiceProcess>> starters)
    {
        _processes = processes;
        _starters = starters;
    }

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess this[string service] =>
        _processes.SingleOrDefault(p => p.Service.Name == service) ?? throw new ArgumentException($"no running service '{service}'", nameof(service));

    /// <summary>
    /// Starts the services and waits until each is ready, for up to <paramref name="readyTimeout"/> in all (a slow
    /// start is waited out, not cut short by one probe's timeout); <paramref name="ct"/> (Ctrl+C) stops waiting, and
    /// whatever was started is stopped again.
    /// </summary>
    public static async Task<LocalStack> StartAsync(LocalStackOptions options, TimeSpan readyTimeout, CancellationToken ct = default)
    {
        var root = Repository.Root();
        var topology = options.Topology;
        var unknown = options.Without.Where(name => topology.Services.All(s => s.Name != name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Without names no service of the topology: {string.Join(", ", unknown)}", nameof(options));
        }

        var order = LocalWiring.CallersFirst(topology);
        var ports = order.Select((s, i) => (s.Name, Port: options.BasePort > 0 ? options.BasePort + i : Loopback.FreePort()))
            .ToDictionary(p => p.Name, p => p.Port, StringComparer.Ordinal);
        Uri Address(AppService s) => new($"http://127.0.0.1:{ports[s.Name]}");

        var starters = new Dictionary<string, Func<ServiceProcess>>(StringComparer.Ordinal);
        var processes = new List<ServiceProcess>();
        try
        {
            Directory.CreateDirectory(options.LogDirectory);
            // callees first, so a caller's first request finds them listening sooner
            foreach (var service in order.Reverse().Where(s => !options.Without.Contains(s.Name)))
            {
                var environment = new Dictionary<string, string>
                {
                    ["OTEL_SERVICE_NAME"] = service.Name,
                    ["OTEL_RESOURCE_ATTRIBUTES"] = "service.version=local,deployment.environment=local",
                    ["Shutdown__DrainSeconds"] = "0",
                    // The same runtime setting the container images carry (services/Service.props).
                    ["DOTNET_GCgen0size"] = "0x200000",
                };
                foreach (var (key, value) in LocalWiring.Environment(topology, service, Address, options.Database))
                {
                    environment[key] = value;
                }

                if (options.OtlpEndpoint is not null)
                {
                    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = options.OtlpEndpoint.ToString().TrimEnd('/');
                }

                foreach (var (key, value) in options.Environment)
                {
                    environment[key] = value;
                }

                var info = new ServiceInfo(service);
                starters[service.Name] = () => ServiceProcess.Start(info, info.DllPath(root), ports[service.Name], environment,
                    Path.Combine(options.LogDirectory, service.Name + ".log"));
                processes.Add(starters[service.Name]());
            }

            await WaitReadyAsync(processes, readyTimeout, ct);
            return new LocalStack(processes, starters);
        }
        catch
        {
            await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
            throw;
        }
    }

    /// <summary>Kills a service at once (SIGKILL: no draining, requests in flight cut off), as a crashed pod.</summary>
    public async Task KillAsync(string service)
    {
        var process = this[service];
        process.Kill();
        await process.DisposeAsync();
    }

    /// <summary>Starts a killed or stopped service again on its port and waits until it is ready.</summary>
    public async Task RestartAsync(string service, TimeSpan readyTimeout)
    {
        var old = this[service];
        await old.DisposeAsync();
        var restarted = _starters[service]();
        _processes[_processes.IndexOf(old)] = restarted;
        await WaitReadyAsync([restarted], readyTimeout, CancellationToken.None);
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));

    private static async Task WaitReadyAsync(IReadOnlyList<ServiceProcess> processes, TimeSpan readyTimeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Task.WhenAll(processes.Select(p => p.WaitReadyAsync(http, readyTimeout, ct)));
    }
}
