using k8s.Models;
using MeshStack.Config;
using MeshStack.Flagger;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Observability;
using MeshStack.Security;
using MeshStack.Topology;
using MeshStack.Traffic;

namespace MeshStack.Synthesis;

/// <summary>What a mesh install leaves behind for the rest of the cluster to build on.</summary>
/// <param name="Crds">The release that installs the mesh's CRDs: custom resources depend on it.</param>
/// <param name="ControlPlane">The release whose readiness means injection works: injected namespaces depend on it.</param>
public sealed record MeshInstallation(Resource Crds, Resource ControlPlane);

/// <summary>
/// One service mesh, one object: its install and a renderer per slot (traffic, security, observability, delivery,
/// multi-cluster, platform). The stack's components ask the mesh for its slot instead of switching on the mesh's kind,
/// so adding a mesh is one new folder with one implementation (made in <c>Meshes/MeshCatalog</c>).
/// One instance serves one synthesis: slots that keep state across clusters are made fresh with the mesh.
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

    /// <summary>A Service port's <c>appProtocol</c> that makes this mesh carry the port as opaque TCP (a database).</summary>
    string OpaqueTcpAppProtocol { get; }

    /// <summary>
    /// Annotations (for the Service and its pods) that make this mesh's proxies carry <paramref name="port"/> as opaque
    /// TCP on both sides; null when the Service port's <see cref="OpaqueTcpAppProtocol"/> says it all.
    /// </summary>
    IDictionary<string, string>? OpaqueTcpPortAnnotations(int port) => null;

    /// <summary>Routing: the mesh-neutral traffic intent in the mesh's own APIs.</summary>
    ITrafficRenderer Traffic { get; }

    /// <summary>mTLS, authorization and the edge's identity.</summary>
    IMeshSecurity Security { get; }

    /// <summary>Proxy tracing, metrics and the mesh's console.</summary>
    IMeshObservability Observability { get; }

    /// <summary>What Flagger needs to know about this mesh to deliver a canary on it.</summary>
    IMeshDelivery Delivery { get; }

    /// <summary>The components that join clusters into one mesh; used only when the stack has more than one cluster.</summary>
    IReadOnlyList<IStackComponent> MultiCluster { get; }

    /// <summary>The mesh's own adjustments to the platform it runs on (pod security, proxy configuration scope).</summary>
    IReadOnlyList<IStackComponent> Platform { get; }
}
