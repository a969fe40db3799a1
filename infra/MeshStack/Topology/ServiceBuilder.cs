namespace MeshStack.Topology;

/// <summary>
/// One service being declared (<see cref="AppBuilder.AddService"/>): its routes, what it needs and whom it calls.
/// The builder is the service's reference: pass it, or one of its routes, to the services that call it.
/// </summary>
public sealed class ServiceBuilder
{
    private readonly List<RouteReference> _routes = [];
    private AppService _service;

    internal ServiceBuilder(AppBuilder app, string name)
    {
        App = app;
        _service = new AppService { Name = name, Routes = [] };
    }

    internal AppBuilder App { get; }

    public string Name => _service.Name;

    /// <summary>The routes declared so far, in order.</summary>
    public IReadOnlyList<RouteReference> Routes => _routes;

    /// <summary>A declared route by name; an unknown name fails at once, naming the service's routes.</summary>
    public RouteReference this[string route] =>
        _routes.FirstOrDefault(r => r.Name == route)
        ?? throw new AppModelException([new(AppModelPart.RouteName, $"service '{Name}' has no route '{route}' (its routes: {string.Join(", ", _routes.Select(r => r.Name))})") { Service = this }]);

    /// <summary>A read (GET): retried by the mesh, 5 s timeout unless given.</summary>
    public RouteReference Get(string name, PathMatch path, TimeSpan? timeout = null) =>
        Route(ApiRoute.Read(name, path) with { Timeout = timeout ?? ApiRoute.ReadTimeout });

    /// <summary>A write (POST): never retried unless <paramref name="idempotent"/> (doing it twice changes nothing).</summary>
    public RouteReference Post(string name, PathMatch path, bool idempotent = false, TimeSpan? timeout = null) =>
        Route(ApiRoute.Write(name, path, idempotent) with { Timeout = timeout ?? ApiRoute.WriteTimeout });

    /// <summary>Any operation, as the model holds it (another method, a custom timeout).</summary>
    public RouteReference Route(ApiRoute route)
    {
        var reference = new RouteReference(this, route);
        _routes.Add(reference);
        return reference;
    }

    /// <summary>Calls these routes of other services (several services at once is fine).</summary>
    public ServiceBuilder Calls(params RouteReference[] routes)
    {
        foreach (var route in routes) App.AddCall(this, route);
        return this;
    }

    /// <summary>Calls every route <paramref name="callee"/> declares.</summary>
    public ServiceBuilder Calls(ServiceBuilder callee) => Calls([.. callee.Routes]);

    /// <summary>May face clients outside the mesh: the edge may route a host to it.</summary>
    public ServiceBuilder AsPublic() => With(s => s with { Public = true });

    /// <summary>A PostgreSQL database where it runs, credentials by reference (libpq's PG* variables).</summary>
    public ServiceBuilder WithDatabase() => With(s => s with { UsesDatabase = true });

    /// <summary>Checks end-users' tokens itself (<c>Jwt__*</c> settings) when the stack configures <c>jwt</c>.</summary>
    public ServiceBuilder ValidatesEndUserTokens() => With(s => s with { ValidatesEndUserTokens = true });

    public ServiceBuilder WithPort(int port) => With(s => s with { Port = port });

    /// <summary>Its own image instead of <c>&lt;images.registry&gt;/&lt;name&gt;:&lt;images.tag&gt;</c>.</summary>
    public ServiceBuilder WithImage(string image) => With(s => s with { Image = image });

    public ServiceBuilder WithResources(ComputeResources resources) => With(s => s with { Resources = resources });

    public ServiceBuilder WithProxyResources(ComputeResources resources) => With(s => s with { ProxyResources = resources });

    /// <summary>The non-root UID its image runs as (the .NET images' <c>app</c> user, 1654, by default).</summary>
    public ServiceBuilder RunAsUser(long uid) => With(s => s with { RunAsUser = uid });

    public ServiceBuilder WithProbes(string liveness, string readiness) => With(s => s with { LivenessPath = liveness, ReadinessPath = readiness });

    /// <summary>Anything else of the model (a typed escape hatch for what the builder does not name).</summary>
    public ServiceBuilder With(Func<AppService, AppService> change)
    {
        _service = change(_service);
        return this;
    }

    internal AppService Build() => _service with { Routes = _routes.Select(r => r.Route).ToList() };

    public override string ToString() => Name;
}
