using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Topology;
using MeshStack.Workloads;

namespace MeshStack.Synthesis;

/// <summary>One cluster after the mesh and the workloads exist: what components build on.</summary>
/// <param name="Workloads">The workloads of the services that run in this cluster, by service name.</param>
public sealed record ClusterBuild(ClusterPlan Plan, MeshInstallation Install, Resource AppNamespace, IReadOnlyDictionary<string, ServiceWorkload> Workloads)
{
    public ClusterScope Scope => Plan.Scope;
    public AppTopology Topology => Plan.Topology;
    public IServiceMesh Mesh => Plan.Mesh;
    public ServiceWorkload Workload(AppService service) => Workloads.TryGetValue(service.Name, out var workload) ? workload
        : throw new InvalidOperationException($"service '{service.Name}' does not run in cluster '{Scope.Cluster.Name}'");
}
