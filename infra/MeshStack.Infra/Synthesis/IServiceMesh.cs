using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Topology;

namespace MeshStack.Synthesis;

/// <summary>What a mesh install leaves behind for the rest of the cluster to build on.</summary>
/// <param name="Crds">The release that installs the mesh's CRDs: custom resources depend on it.</param>
/// <param name="ControlPlane">The release whose readiness means injection works: injected namespaces depend on it.</param>
public sealed record MeshInstallation(Resource Crds, Resource ControlPlane);

/// <summary>
/// One service mesh. Everything mesh-specific sits behind this interface, so adding a mesh means
/// one new implementation, not edits across the stack.
/// </summary>
public interface IServiceMesh
{
    MeshKind Kind { get; }

    /// <summary>CRDs, control plane and ingress of one cluster, ordered by dependsOn.</summary>
    MeshInstallation Install(ClusterScope scope);

    /// <summary>Labels or annotations that make the mesh inject its proxy into a namespace's pods.</summary>
    void MarkForInjection(V1ObjectMeta namespaceMetadata);

    /// <summary>Pod-template annotations that size the proxy beside a workload.</summary>
    IDictionary<string, string> ProxyResourceAnnotations(ComputeResources proxy);
}
