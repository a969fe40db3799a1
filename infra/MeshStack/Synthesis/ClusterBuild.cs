using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Topology;
using MeshStack.Workloads;

namespace MeshStack.Synthesis;

/// <summary>One cluster after the mesh and the workloads exist: what components build on.</summary>
/// <param name="Workloads">The workloads of the services that run in this cluster, by service name.</param>
/// <param name="Services">The Service of every service of the topology as declared in this cluster (where it runs or not), by service name.</param>
public sealed record ClusterBuild(ClusterPlan Plan, MeshInstallation Install, Resource AppNamespace, IReadOnlyDictionary<string, ServiceWorkload> Workloads,
    IReadOnlyDictionary<string, ServiceRef> Services)
{
    public ClusterScope Scope => Plan.Scope;
    public AppTopology Topology => Plan.Topology;
    public IServiceMesh Mesh => Plan.Mesh;
    /// <summary>The Service the stack made for <paramref name="service"/> in this cluster: what its routes refer to.</summary>
    public ServiceRef Service(string service) => Services.TryGetValue(service, out var made) ? made
        : throw new InvalidOperationException($"service '{service}' has no Service in cluster '{Scope.Cluster.Name}'");

    public ServiceWorkload Workload(AppService service) => Workloads.TryGetValue(service.Name, out var workload) ? workload
        : throw new InvalidOperationException($"service '{service.Name}' does not run in cluster '{Scope.Cluster.Name}'");
}
