using MeshStack.Topology;

namespace MeshStack.Traffic;

/// <summary>
/// Everything the mesh does with traffic to one service. <see cref="Routes"/> are ordered most specific
/// first (exact, regex, then longer prefixes), so first-match renderers and precedence-based ones agree;
/// <see cref="Fallback"/> catches what no route matches, with a timeout and no retries.
/// </summary>
public sealed record ServiceTraffic(
    AppService Service,
    IReadOnlyList<RouteIntent> Routes,
    RouteIntent Fallback,
    CircuitBreaker CircuitBreaker,
    LoadBalancing LoadBalancing,
    CanaryIntent? Canary)
{
    public string Name => Service.Name;

    /// <summary>The declared routes, then the fallback.</summary>
    public IEnumerable<RouteIntent> AllRoutes => Routes.Append(Fallback);
}
