using MeshStack.Config;
using MeshStack.Meshes;
using MeshStack.Topology;

namespace MeshStack.Security;

/// <summary>
/// Callers in other clusters, as the callee's proxy sees them. Istio keeps mTLS end to end through the east-west
/// gateway (AUTO_PASSTHROUGH), and Linkerd's pod-to-pod mode connects directly, so the caller's own identity arrives
/// and the topology's grants hold unchanged. Linkerd's gateway mode does not: the gateway opens the connection to the
/// callee with its own identity, so a service reached through it must also grant the gateway the routes its remote
/// callers use (upstream limitation: the gateway cannot be narrowed per caller, linkerd/linkerd2#9848).
/// </summary>
public static class CrossClusterGrants
{
    /// <summary>The grants to add in <paramref name="cluster"/> for callers whose own cluster does not run the callee.</summary>
    public static IEnumerable<AccessGrant> For(StackConfig config, ClusterConfig cluster, AppTopology topology, AuthorizationIntent intent)
    {
        if (config.Clusters.Count < 2 || MeshCatalog.Create(config.Mesh).Security.CrossClusterIdentity(cluster) is not { } arriving) yield break;
        foreach (var callee in topology.Services.Where(s => cluster.Runs(s.Name)))
        {
            // a caller runs where its service runs; the edge runs in every cluster
            var routes = intent.To(callee)
                .Where(g => CallerClusters(config, topology, g.From).Any(c => c.Name != cluster.Name && !c.Runs(callee.Name)))
                .SelectMany(g => g.Routes).Distinct().ToList();
            if (routes.Count > 0)
                yield return new AccessGrant(arriving, callee, [.. callee.Routes.Where(routes.Contains)]);
        }
    }

    private static IEnumerable<ClusterConfig> CallerClusters(StackConfig config, AppTopology topology, Peer caller) =>
        caller.Namespace == topology.Namespace && topology.Services.Any(s => s.Name == caller.Name)
            ? config.ClustersRunning(caller.Name)
            : config.Clusters;
}
