using MeshStack.Topology;

namespace MeshStack.Traffic;

/// <summary>
/// The mesh-neutral traffic intent of the whole app: sound defaults derived from the topology's routes
/// (reads retried on transient failures, writes that are not idempotent never retried, every route timed out),
/// with the stack's canary, drills, edge hosts and overrides applied. Both mesh renderers read only this.
/// </summary>
public sealed record TrafficIntent(IReadOnlyList<ServiceTraffic> Services, IReadOnlyList<EdgeHost> Edge, CanaryIntent? Canary)
{
    /// <summary>Retries of an idempotent route unless the stack says otherwise.</summary>
    public const int DefaultAttempts = 2;

    public ServiceTraffic Service(string name) => Services.First(s => s.Name == name);

    public static TrafficIntent From(AppTopology topology, TrafficConfig config)
    {
        var hops = Hops(topology, config);
        var services = topology.Services.Select(service => new ServiceTraffic(
            service,
            Ordered(service.Routes).Select(r => Route(service, r, config, hops)).ToList(),
            Fallback(service, config),
            CircuitBreaker.Default,
            config.For(service.Name).LoadBalancing ?? LoadBalancing.LeastRequest,
            config.Canary is { } c && c.Service == service.Name ? c : null)).ToList();
        return new TrafficIntent(services, config.Edge, config.Canary);
    }

    /// <summary>The hop of each call path that retries, from each route's configured (or default) attempts.</summary>
    /// A service Flagger delivers is routed by one rule that is retried only when all its routes may be
    /// (<c>FlaggerCanary.Retries</c>), so a hop in front of it keeps its retries when that rule has none.
    public static RetryHops Hops(AppTopology topology, TrafficConfig config) => new(topology, (service, route) =>
        // the binder rejects retries for a route that is not idempotent; this keeps the rule even without it
        !route.Idempotent || (config.Canary is { Automated: true } c && c.Service == service.Name && service.Routes.Any(r => !r.Idempotent))
            ? 0
            : config.For(service.Name).Route(route.Name)?.Retries ?? DefaultAttempts);

    private static RouteIntent Route(AppService service, ApiRoute route, TrafficConfig config, RetryHops hops)
    {
        var change = config.For(service.Name).Route(route.Name);
        var timeout = change?.Timeout ?? route.Timeout;
        var attempts = hops.Attempts(service, route);
        var retries = attempts > 0 ? RetryPolicy.Within(timeout, attempts) : null;
        var fault = config.Faults.FirstOrDefault(f => f.Covers(service.Name, route.Name));
        return new RouteIntent(route.Name, route.Method, route.Path, timeout, retries, fault);
    }

    /// <summary>
    /// What no declared route matches (e.g. HEAD, an undeclared path) still gets a timeout, the longest of the
    /// service's routes, and is never retried: nothing is known about it.
    /// </summary>
    private static RouteIntent Fallback(AppService service, TrafficConfig config) => new(
        "default", null, PathMatch.Prefix("/"),
        service.Routes.Select(r => r.Timeout).DefaultIfEmpty(TimeSpan.FromSeconds(10)).Max(),
        null,
        config.Faults.FirstOrDefault(f => f.Service == service.Name && f.Route is null));

    /// <summary>Exact paths first, then regexes, then prefixes longest first: the order first-match routing needs.</summary>
    private static IEnumerable<ApiRoute> Ordered(IEnumerable<ApiRoute> routes) =>
        routes.OrderBy(r => r.Path.Kind switch { PathMatchKind.Exact => 0, PathMatchKind.Regex => 1, _ => 2 })
            .ThenByDescending(r => r.Path.Kind == PathMatchKind.Prefix ? r.Path.Value.Length : 0);
}
