using MeshStack.Config;
using MeshStack.Topology;

namespace MeshStack.Security;

/// <summary>
/// Who may call whom, derived from the topology and the edge: every declared service call with exactly its
/// routes, plus the ingress to the services an edge host routes to (<c>traffic.edge</c>, which only names public
/// services), with all their routes. A public service no edge host routes to has no entry point, so the ingress gets
/// no grant there. Each mesh renders this; anything not granted is denied.
/// </summary>
/// <param name="DatabaseClients">The services that keep state: the only peers allowed to connect to PostgreSQL.</param>
public sealed record AuthorizationIntent(string Namespace, IReadOnlyList<AccessGrant> Grants, IReadOnlyList<Peer> DatabaseClients)
{
    /// <param name="exposed">The services an edge host routes to.</param>
    public static AuthorizationIntent From(AppTopology topology, Peer ingress, IReadOnlyCollection<string> exposed)
    {
        var grants = new List<AccessGrant>();
        foreach (var call in topology.Calls)
            grants.Add(new AccessGrant(PeerOf(topology, call.From), call.To, call.Routes));
        // the ingress reaches the services the edge routes to, with all their routes
        foreach (var service in topology.Services.Where(s => s.Public && exposed.Contains(s.Name)))
            grants.Add(new AccessGrant(ingress, service, service.Routes));
        var databaseClients = topology.Services.Where(s => s.UsesDatabase).Select(s => PeerOf(topology, s)).ToList();
        return new AuthorizationIntent(topology.Namespace, grants, databaseClients);
    }

    /// <summary>
    /// What one cluster enforces: the grants to the services that run there, plus the cross-cluster hops that reach
    /// them under another identity (<see cref="CrossClusterGrants"/>); database access only where a service that keeps
    /// state runs, since only there is there a database.
    /// </summary>
    public static AuthorizationIntent InCluster(StackConfig config, ClusterConfig cluster, AppTopology topology)
    {
        var app = From(topology, EdgeIdentities.Ingress(config.Mesh), [.. config.Traffic.Edge.Select(e => e.Service).Distinct()]);
        var local = topology.Services.Where(s => cluster.Runs(s.Name)).ToList();
        return app with
        {
            Grants = [.. app.Grants.Where(g => cluster.Runs(g.To.Name)), .. CrossClusterGrants.For(config, cluster, topology, app),
                .. Flagger.FlaggerLoadTester.Grants(config, topology).Where(g => cluster.Runs(g.To.Name))],
            DatabaseClients = local.Any(s => s.UsesDatabase) ? app.DatabaseClients : [],
        };
    }

    public static Peer PeerOf(AppTopology topology, AppService service) => new(service.Name, topology.Namespace, service.ServiceAccount);

    /// <summary>The grants to one service, callers in a stable order.</summary>
    public IEnumerable<AccessGrant> To(AppService callee) => Grants.Where(g => g.To.Name == callee.Name);

    /// <summary>Kubelet probe routes of a service: exact GETs on its liveness and readiness paths.</summary>
    public static IReadOnlyList<ApiRoute> ProbeRoutes(AppService service) =>
    [
        ApiRoute.Read("liveness", PathMatch.Exact(service.LivenessPath)),
        ApiRoute.Read("readiness", PathMatch.Exact(service.ReadinessPath)),
    ];
}
