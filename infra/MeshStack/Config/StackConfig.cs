namespace MeshStack.Config;

public enum MeshKind { Istio, Linkerd }

public enum MtlsMode { Strict, Permissive }

/// <summary>How a Linkerd cluster offers its services to the others: through its multicluster gateway, or pod to pod (flat network).</summary>
public enum ExportMode { Gateway, RemoteDiscovery }

/// <summary>One Kubernetes cluster of the stack. <see cref="Name"/> is also the provider's cluster identifier.</summary>
/// <param name="Server">The API server address the other clusters use to reach this one (remote secrets, links).</param>
/// <param name="Failover">Clusters to fail over to, in order of preference (Istio locality failover).</param>
/// <param name="Export">Linkerd multicluster: how the other clusters reach this cluster's services.</param>
/// <param name="Services">The topology's services that run here; null means all of them.</param>
/// <param name="GatewayAddress">
/// Linkerd multicluster: the address (host name or IP) the other clusters' links use for this cluster's gateway, when
/// the gateway Service's LoadBalancer status has no IP to read (e.g. a load balancer known by a DNS name).
/// </param>
public sealed record ClusterConfig(string Name, string Context, string? Network, string? Server = null, IReadOnlyList<string>? Failover = null,
    ExportMode Export = ExportMode.Gateway, IReadOnlyList<string>? Services = null, string? GatewayAddress = null)
{
    public IReadOnlyList<string> Failover { get; init; } = Failover ?? [];

    /// <summary>Whether <paramref name="service"/> has its workloads (Deployment, pods) in this cluster.</summary>
    public bool Runs(string service) => Services is null || Services.Contains(service, StringComparer.Ordinal);

    public bool Equals(ClusterConfig? other) =>
        other is not null
        && (Name, Context, Network, Server, Export, GatewayAddress) == (other.Name, other.Context, other.Network, other.Server, other.Export, other.GatewayAddress)
        && Failover.SequenceEqual(other.Failover)
        && (Services is null ? other.Services is null : other.Services is not null && Services.SequenceEqual(other.Services));

    public override int GetHashCode() => HashCode.Combine(Name, Context, Network, Server, Export, Failover.Count, Services?.Count);
}

/// <summary>Where images come from: <c>&lt;registry&gt;/&lt;service&gt;:&lt;tag&gt;</c>, unless a service names its own.</summary>
public sealed record ImagesConfig(string Registry, string Tag)
{
    public string For(string service) => $"{Registry}/{service}:{Tag}";

    /// <summary>
    /// The image of <paramref name="service"/>: its own (<see cref="Topology.AppService.Image"/>) or the registry's; with
    /// <paramref name="tag"/> (a canary's), that tag in place of the image's.
    /// </summary>
    public string For(Topology.AppService service, string? tag = null)
    {
        if (service.Image is not { } own) return $"{Registry}/{service.Name}:{tag ?? Tag}";
        if (tag is null) return own;
        // the repository is what precedes a digest, or a tag (a ':' after the last '/', not a registry port)
        var repository = own.Split('@')[0];
        var colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/')) repository = repository[..colon];
        return $"{repository}:{tag}";
    }
}

public sealed record TracingConfig(double SamplingPercent);

/// <summary>A pinned Helm chart source.</summary>
public sealed record ChartPin(string Repository, string Version);

/// <summary>Chart pins. linkerd-viz uses <see cref="Linkerd"/>: it must match the control plane's version.</summary>
public sealed record ChartsConfig(ChartPin Istio, ChartPin Linkerd)
{
    public required ChartPin OtelCollector { get; init; }
    public required ChartPin Jaeger { get; init; }
    public required ChartPin KubePrometheusStack { get; init; }
    public required ChartPin Kiali { get; init; }
    /// <summary>Flagger, installed only in stacks with an automated canary.</summary>
    public required ChartPin Flagger { get; init; }
}

/// <summary>The whole, validated stack configuration. Built only by <see cref="StackConfigBinder"/>.</summary>
public sealed record StackConfig
{
    public required string Stack { get; init; }
    public required MeshKind Mesh { get; init; }
    public required IReadOnlyList<ClusterConfig> Clusters { get; init; }

    /// <summary>The clusters where <paramref name="service"/> runs, in config order.</summary>
    public IEnumerable<ClusterConfig> ClustersRunning(string service) => Clusters.Where(c => c.Runs(service));
    public required MtlsMode Mtls { get; init; }
    public required ImagesConfig Images { get; init; }
    public required int Replicas { get; init; }
    public required TracingConfig Tracing { get; init; }
    public required ChartsConfig Charts { get; init; }
    /// <summary>Istio's mesh ID, the same in every cluster of the mesh.</summary>
    public required string MeshId { get; init; }
    public required Database.DatabaseConfig Database { get; init; }
    /// <summary>True when the stack sets the secret <c>kubeconfig</c> key; its value is never read.</summary>
    public required bool HasKubeconfig { get; init; }
    /// <summary>Canary, fault drills, edge hosts and route overrides; the rest of traffic policy comes from the topology.</summary>
    public MeshStack.Traffic.TrafficConfig Traffic { get; init; } = MeshStack.Traffic.TrafficConfig.None;
    /// <summary>Namespaces whose mTLS mode differs from <see cref="Mtls"/>.</summary>
    public IReadOnlyDictionary<string, MtlsMode> MtlsOverrides { get; init; } = new Dictionary<string, MtlsMode>();
    public Security.JwtConfig? Jwt { get; init; }
    /// <summary>Where the edge's certificate comes from (used only with an edge).</summary>
    public Security.EdgeTlsConfig EdgeTls { get; init; } = Security.EdgeTlsConfig.Default;
    public Security.PolicyConfig Policy { get; init; } = Security.PolicyConfig.Default;
    /// <summary>
    /// The application the stack deploys: the host's (its <c>Program.cs</c>), or the one <c>mesh-stack:app</c> declares
    /// in place of it. Every service name in the rest of the config refers to it.
    /// </summary>
    public required Topology.AppTopology App { get; init; }
}
