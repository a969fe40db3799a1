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

    private LocalStack(List<ServiceProcess> processes) => _processes = processes;

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public ServiceProcess this[ServiceInfo service] => _processes.Single(p => p.Service == service);

    public static async Task<LocalStack> StartAsync(LocalStackOptions options, TimeSpan readyTimeout)
    {
        var root = ServiceCatalog.RepositoryRoot();
        var services = ServiceCatalog.All.Where(s => options.WithFrontend || s != ServiceCatalog.Frontend).ToList();
        var order = new[] { ServiceCatalog.Frontend, ServiceCatalog.ApiGateway, ServiceCatalog.Order, ServiceCatalog.Inventory, ServiceCatalog.Payment };
        var ports = order.ToDictionary(s => s, s => options.BasePort > 0 ? options.BasePort + Array.IndexOf(order, s) : Loopback.FreePort());
        string Url(ServiceInfo s) => $"http://127.0.0.1:{ports[s]}";

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

                processes.Add(ServiceProcess.Start(service, service.DllPath(root), ports[service], environment,
                    Path.Combine(options.LogDirectory, service.Name + ".log")));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Task.WhenAll(processes.Select(p => p.WaitReadyAsync(http, readyTimeout)));
            return new LocalStack(processes);
        }
        catch
        {
            await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
            throw;
        }
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
}
