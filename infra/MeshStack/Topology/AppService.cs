namespace MeshStack.Topology;

/// <summary>CPU and memory in Kubernetes quantity notation.</summary>
public sealed record ComputeResources(string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit)
{
    /// <summary>Each quantity the larger of this one and <paramref name="floor"/>'s.</summary>
    public ComputeResources AtLeast(ComputeResources floor) => new(
        Max(CpuRequest, floor.CpuRequest), Max(MemoryRequest, floor.MemoryRequest), Max(CpuLimit, floor.CpuLimit), Max(MemoryLimit, floor.MemoryLimit));

    private static string Max(string a, string b) =>
        new k8s.Models.ResourceQuantity(a).ToDecimal() >= new k8s.Models.ResourceQuantity(b).ToDecimal() ? a : b;
}

/// <summary>One service of the application: what it serves, how it is probed, what it needs.</summary>
public sealed record AppService
{
    public required string Name { get; init; }
    public int Port { get; init; } = 8080;
    public string Version { get; init; } = "v1";
    public string LivenessPath { get; init; } = "/healthz";
    public string ReadinessPath { get; init; } = "/readyz";
    public required IReadOnlyList<ApiRoute> Routes { get; init; }
    public ComputeResources Resources { get; init; } = new("50m", "96Mi", "500m", "256Mi");
    /// <summary>Requests and limits of the mesh proxy beside it.</summary>
    public ComputeResources ProxyResources { get; init; } = new("20m", "32Mi", "500m", "128Mi");
    public bool UsesDatabase { get; init; }
    /// <summary>The container image; null means <c>&lt;images.registry&gt;/&lt;name&gt;:&lt;images.tag&gt;</c>.</summary>
    public string? Image { get; init; }
    /// <summary>
    /// The UID the container runs as (non-root). 1654 is the <c>app</c> user of the .NET runtime images the ecommerce
    /// services are built on; an image built on another base sets its own.
    /// </summary>
    public long RunAsUser { get; init; } = DefaultRunAsUser;
    public const long DefaultRunAsUser = 1654;
    /// <summary>
    /// Checks end-users' tokens itself when the stack configures JWT (<c>Jwt__*</c>), whatever the mesh checks in front
    /// of it: a service that acts on the caller's identity must not rely on the mesh alone.
    /// </summary>
    public bool ValidatesEndUserTokens { get; init; }
    /// <summary>
    /// May face clients outside the mesh: the edge (<c>traffic.edge</c>) may route a host to it, and then the ingress is
    /// granted all its routes. Internal services cannot be put on the edge.
    /// </summary>
    public bool Public { get; init; }
    /// <summary>The ServiceAccount name: the workload's identity in the mesh.</summary>
    public string ServiceAccount => Name;

    public ApiRoute Route(string name) =>
        Routes.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"service '{Name}' has no route '{name}'", nameof(name));
}

/// <summary>A declared call from one service to some routes of another.</summary>
public sealed record ServiceCall(AppService From, AppService To, IReadOnlyList<ApiRoute> Routes);
