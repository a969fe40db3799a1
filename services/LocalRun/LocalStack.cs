namespace MeshStack.LocalRun;

public sealed class LocalStackOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>OTLP/gRPC endpoint for all five; null: no export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>frontend, api-gateway, order, inventory, payment take BasePort..BasePort+4; 0 picks free ports.</summary>
    public int BasePort { get; init; }

    /// <summary>Extra settings for every service (e.g. OTEL_TRACES_SAMPLER), overriding the defaults here.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public required string LogDirectory { get; init; }

    public bool WithFrontend { get; init; } = true;
}

/// <summary>The five services as separate processes on loopback, wired to each other as the infra wires them.</summary>
public sealed class LocalStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes;
    private readonly Dictionary<ServiceInfo, Func<ServiceProcess>> _starters;

    private LocalStack(List<ServiceProcess> processes, Dictionary<ServiceInfo, Func<ServiceProcess>> starters)
    {
        _processes = processes;
        _starters = starters;
    }

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess this[ServiceInfo service] => _processes.Single(p => p.Service == service);

    /// <summary>
    /// Starts the services and waits until each is ready, for up to <paramref name="readyTimeout"/> in all (a slow
    /// start is waited out, not cut short by one probe's timeout); <paramref name="ct"/> (Ctrl+C) stops waiting, and
    /// whatever was started is stopped again.
    /// </summary>
    public static async Task<LocalStack> StartAsync(LocalStackOptions options, TimeSpan readyTimeout, CancellationToken ct = default)
    {
        var root = ServiceCatalog.RepositoryRoot();
        var services = ServiceCatalog.All.Where(s => options.WithFrontend || s != ServiceCatalog.Frontend).ToList();
        var order = new[] { ServiceCatalog.Frontend, ServiceCatalog.ApiGateway, ServiceCatalog.Order, ServiceCatalog.Inventory, ServiceCatalog.Payment };
        var ports = order.ToDictionary(s => s, s => options.BasePort > 0 ? options.BasePort + Array.IndexOf(order, s) : Loopback.FreePort());
        string Url(ServiceInfo s) => $"http://127.0.0.1:{ports[s]}";

        var starters = new Dictionary<ServiceInfo, Func<ServiceProcess>>();
        var processes = new List<ServiceProcess>();
        try
        {
            Directory.CreateDirectory(options.LogDirectory);
            foreach (var service in services)
            {
                var environment = new Dictionary<string, string>
                {
                    ["OTEL_SERVICE_NAME"] = service.Name,
                    ["OTEL_RESOURCE_ATTRIBUTES"] = "service.version=local,deployment.environment=local",
                    ["Shutdown__DrainSeconds"] = "0",
                    // The same runtime setting the container images carry (services/Service.props).
                    ["DOTNET_GCgen0size"] = "0x200000",
                    ["ConnectionStrings__Postgres"] = options.ConnectionString,
                    ["Downstream__Order"] = Url(ServiceCatalog.Order),
                    ["Downstream__Inventory"] = Url(ServiceCatalog.Inventory),
                    ["Downstream__Payment"] = Url(ServiceCatalog.Payment),
                    ["Downstream__ApiGateway"] = Url(ServiceCatalog.ApiGateway),
                };
                if (options.OtlpEndpoint is not null)
                {
                    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = options.OtlpEndpoint.ToString().TrimEnd('/');
                }

                foreach (var (key, value) in options.Environment)
                {
                    environment[key] = value;
                }

                starters[service] = () => ServiceProcess.Start(service, service.DllPath(root), ports[service], environment,
                    Path.Combine(options.LogDirectory, service.Name + ".log"));
                processes.Add(starters[service]());
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
    public async Task KillAsync(ServiceInfo service)
    {
        var process = this[service];
        process.Kill();
        await process.DisposeAsync();
    }

    /// <summary>Starts a killed or stopped service again on its port and waits until it is ready.</summary>
    public async Task RestartAsync(ServiceInfo service, TimeSpan readyTimeout)
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
