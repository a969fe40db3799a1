using MeshStack.Topology;

namespace MeshStack.Traffic;

/// <summary>
/// Which hop of a call path the mesh retries. Attempts multiply along a path (an edge retrying 3 times in front of a
/// gateway whose calls retry 3 times is 9 attempts at the last service), so a route is retried only when nothing its
/// handler calls, directly or further down, is retried: by default the innermost idempotent hop owns the retries, and
/// every hop in front of it forwards once. A stack moves the retries outwards by setting the inner routes' retries to 0.
/// </summary>
public sealed class RetryHops(AppTopology topology, Func<AppService, ApiRoute, int> configuredAttempts)
{
    /// <summary>Retries of the route: its configured attempts, or 0 when a route further down the path retries.</summary>
    public int Attempts(AppService service, ApiRoute route) =>
        RetriedBelow(service, route) is null ? configuredAttempts(service, route) : 0;

    /// <summary>The first route below this one on some call path that the mesh retries, or null.</summary>
    public RouteForward? RetriedBelow(AppService service, ApiRoute route)
    {
        // each route is judged once: asked afresh, every hop re-walks everything below it twice (through Attempts and
        // directly), exponential in the depth of the call paths (a chain of 18 services took 1.5 s to synthesize)
        if (below.TryGetValue((service, route), out var known)) return known;
        var found = topology.ForwardsOf(service, route).FirstOrDefault(f => Attempts(f.Callee, f.CalleeRoute) > 0 || RetriedBelow(f.Callee, f.CalleeRoute) is not null);
        below[(service, route)] = found;
        return found;
    }

    private readonly Dictionary<(AppService, ApiRoute), RouteForward?> below = [];
}
