using MeshStack.Config;

namespace MeshStack.Traffic;

/// <summary>
/// The stack's traffic settings for one service (<c>traffic.services.&lt;service&gt;</c> and
/// <c>traffic.routes.&lt;service&gt;/&lt;route&gt;</c>): how callers balance across its endpoints, and its route overrides.
/// Everything not set here is derived from the topology (<see cref="TrafficIntent"/>).
/// </summary>
public sealed record ServiceTrafficSettings(string Service, LoadBalancing? LoadBalancing, EquatableList<RouteOverride> Routes)
{
    public static ServiceTrafficSettings None(string service) => new(service, null, []);

    public RouteOverride? Route(string route) => Routes.FirstOrDefault(r => r.Route == route);
}
