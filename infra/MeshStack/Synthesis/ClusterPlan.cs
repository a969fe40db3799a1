using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Topology;

namespace MeshStack.Synthesis;

/// <summary>
/// What components ask of one cluster before it is built: extra Helm values for a release and
/// adjustments to the application namespace, Deployments and Services. Applied as each object is made.
/// </summary>
public sealed class ClusterPlan(ClusterScope scope, AppTopology topology, IServiceMesh mesh)
{
    private readonly List<Action<V1ObjectMeta>> _namespace = [];
    private readonly List<Action<AppService, V1Deployment>> _deployments = [];
    private readonly List<Action<AppService, V1Service>> _services = [];

    public ClusterScope Scope { get; } = scope;
    public AppTopology Topology { get; } = topology;
    public IServiceMesh Mesh { get; } = mesh;

    /// <summary>Whether the service's workloads run in this cluster (else only its Service is declared here).</summary>
    public bool Runs(AppService service) => Scope.Cluster.Runs(service.Name);

    /// <summary>The services whose workloads run in this cluster.</summary>
    public IEnumerable<AppService> LocalServices => Topology.Services.Where(Runs);

    /// <summary>True when the mesh retries idempotent routes, so the services must not retry on their own.</summary>
    public bool MeshRetries { get; set; }

    private readonly SortedSet<string> _flagger = new(StringComparer.Ordinal);

    /// <summary>
    /// Services whose delivery Flagger owns (an automated canary): Flagger makes their Services and routes and a
    /// <c>&lt;service&gt;-primary</c> Deployment from theirs, so the stack declares neither and selects both pod sets.
    /// </summary>
    public IReadOnlyCollection<string> DeliveredByFlagger => _flagger;

    public void HandToFlagger(string service) => _flagger.Add(service);

    public bool IsDeliveredByFlagger(string service) => _flagger.Contains(service);

    /// <summary>
    /// The values of the <c>app</c> label a service's pods carry: its name, and for a service Flagger delivers also
    /// <c>&lt;service&gt;-primary</c>, which Flagger writes on the pods of the primary Deployment it copies from the service's.
    /// </summary>
    public IReadOnlyList<string> AppLabels(string service) =>
        IsDeliveredByFlagger(service) ? [service, Flagger.FlaggerNames.Primary(service)] : [service];

    /// <summary>Deep-merges <paramref name="values"/> into the Helm values of the release named <paramref name="release"/>.</summary>
    public void PatchRelease(string release, JsonObject values) => Scope.PatchRelease(release, values);

    private readonly List<Func<MeshInstallation, Resource>> _beforeApps = [];

    /// <summary>
    /// Something the application's pods must find in place when they are created (a webhook that mutates them), made
    /// right after the mesh install: the application namespace, and so every workload in it, depends on it.
    /// </summary>
    public void InstallBeforeApps(Func<MeshInstallation, Resource> install) => _beforeApps.Add(install);

    internal IReadOnlyList<Resource> InstallBeforeApps(MeshInstallation mesh) => _beforeApps.Select(f => f(mesh)).ToList();

    public void CustomizeAppNamespace(Action<V1ObjectMeta> customize) => _namespace.Add(customize);
    public void CustomizeDeployments(Action<AppService, V1Deployment> customize) => _deployments.Add(customize);
    public void CustomizeServices(Action<AppService, V1Service> customize) => _services.Add(customize);

    internal void Apply(V1ObjectMeta appNamespace) => _namespace.ForEach(c => c(appNamespace));
    public void Apply(AppService service, V1Deployment deployment) => _deployments.ForEach(c => c(service, deployment));
    internal void Apply(AppService service, V1Service kubeService) => _services.ForEach(c => c(service, kubeService));
}
