namespace MeshStack.Topology;

/// <summary>
/// The application, in one place: services, their routes, and who calls whom. Workloads, routes,
/// authorization and tracing are all derived from it, so they cannot disagree. A host declares it with
/// <see cref="AppBuilder"/>; a stack may declare it instead with <c>mesh-stack:app</c>.
/// </summary>
public sealed record AppTopology(string Namespace, IReadOnlyList<AppService> Services, IReadOnlyList<ServiceCall> Calls)
{
    public AppService Service(string name) =>
        Services.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"no service '{name}' in the topology", nameof(name));

    public IEnumerable<ServiceCall> CallsTo(AppService callee) => Calls.Where(c => c.To == callee);

    /// <summary>What the app's objects carry as <c>app.kubernetes.io/part-of</c>; by default its namespace.</summary>
    public string Name { get; init; } = Namespace;

    /// <summary>The database of each cluster where a service that <see cref="AppService.UsesDatabase"/> runs.</summary>
    public AppDatabase Database { get; init; } = AppDatabase.For(Namespace);

    /// <summary>
    /// The public service that checks end-users' tokens for the edge (<c>jwt</c>): with Istio its proxy validates them
    /// too and denies <c>jwt.paths</c> without one. At most one (the app builder refuses two).
    /// </summary>
    public AppService? EdgeTokenService => Services.FirstOrDefault(s => s.Public && s.ValidatesEndUserTokens);

    /// <summary>Which downstream routes each route's handler calls (empty: no route calls another).</summary>
    public IReadOnlyList<RouteForward> Forwards { get; init; } = [];

    /// <summary>
    /// The downstream routes the handler of <paramref name="service"/>'s <paramref name="route"/> calls directly. A service
    /// that declares no forwards may call any route of its calls from any of its routes: each is then a forward, so
    /// retries stay at the innermost hop whatever the handler does.
    /// </summary>
    public IEnumerable<RouteForward> ForwardsOf(AppService service, ApiRoute route) =>
        Forwards.Any(f => f.Service == service)
            ? Forwards.Where(f => f.Service == service && f.Route == route)
            : Calls.Where(c => c.From == service).SelectMany(c => c.Routes.Select(r => new RouteForward(service, route, c.To, r)));
}
