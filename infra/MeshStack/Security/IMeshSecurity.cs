using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Security.Policy;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Security;

/// <summary>What one cluster's security renders: the objects, and what they must wait for besides the CRDs and the app namespace.</summary>
public sealed record MeshPolicies(IReadOnlyList<object> Objects, IReadOnlyList<Resource> DependsOn);

/// <summary>
/// The mesh-specific half of zero trust: how mTLS modes and the authorization intent become the mesh's policies,
/// who the edge and cross-cluster callers are as the mesh sees them, and how a render's grants are read back.
/// </summary>
public interface IMeshSecurity
{
    /// <summary>The identity of the mesh's ingress, which every edge grant names.</summary>
    Peer Ingress { get; }

    /// <summary>The namespace whose mTLS policy applies to the whole mesh (Istio's root namespace), if the mesh has one.</summary>
    string? MeshWideNamespace { get; }

    /// <summary>
    /// The identity callers from other clusters arrive with in <paramref name="cluster"/> when it is not their own
    /// (a gateway that re-originates the connection), or null when their own identity arrives.
    /// </summary>
    Peer? CrossClusterIdentity(ClusterConfig cluster);

    /// <summary>Before the cluster is built: adjustments to the application namespace.</summary>
    void Configure(ClusterPlan plan, StackConfig config) { }

    /// <summary>The cluster's mTLS and authorization policies for the services that run there.</summary>
    MeshPolicies Build(ClusterBuild build, StackConfig config, AuthorizationIntent intent, IReadOnlyList<AppService> local);

    /// <summary>
    /// A per-namespace mTLS override: the object to emit (it depends on the namespace), or null when the mesh
    /// sets the mode on the namespace object itself.
    /// </summary>
    object? MtlsOverride(string ns, MtlsMode mode, Resource namespaceResource);

    /// <summary>Once every cluster is built: policy that depends on every namespace the stack made.</summary>
    void Complete(IReadOnlyList<ClusterBuild> clusters, ResourceGraph graph, StackConfig config) { }

    /// <summary>The declared grants of <paramref name="intent"/> that the rendered objects of the app namespace do not enforce.</summary>
    IEnumerable<UnauthorizedEdge> UnauthorizedEdges(string cluster, AuthorizationIntent intent, IReadOnlyList<RenderedObject> objects);
}
