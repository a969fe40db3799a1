using MeshStack.Topology;

namespace MeshStack.Config;

/// <summary>
/// Binds <c>mesh-stack:app</c>, the application declared in stack config instead of a host's C#. It declares through
/// the same <see cref="AppBuilder"/> a host uses, so both front doors obey one set of model rules; what the builder
/// refuses is reported at the key path that declared it. Names the builder cannot take as values (a called service or
/// route that does not exist) are resolved here, with the nearest declared name.
/// </summary>
public static class AppSpecBinder
{
    /// <summary>HTTP methods a route may match; RFC 9110 9.2.2: PUT, DELETE and the safe methods are idempotent.</summary>
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] Idempotent = ["GET", "HEAD", "PUT", "DELETE"];
    private static readonly string[] PathKinds = ["exact", "prefix", "regex"];

    /// <summary>
    /// The application the stack deploys: <paramref name="host"/> without <c>mesh-stack:app</c>, the declared one with
    /// it, or null when the declaration has problems (recorded in <paramref name="root"/>'s problems).
    /// </summary>
    public static AppTopology? Bind(ConfigObject root, AppTopology host, MeshKind mesh)
    {
        if (!root.Has(ConfigKeys.App.Name))
        {
            // the host's routes were declared in C#: what the mesh cannot enforce is the mesh choice's problem
            var refused = 0;
            foreach (var (service, route) in host.Services.SelectMany(s => s.Routes.Select(r => (s, r))))
            {
                if (Unenforceable(route, mesh) is not { } why) continue;
                root.Problem(ConfigKeys.Mesh.Name, $"route {service.Name}/{route.Name} of the application: {why}");
                refused++;
            }
            return refused > 0 ? null : host;
        }
        var o = root.Object(ConfigKeys.App.Name);
        var before = root.Problems.Items.Count;
        var app = new AppBuilder(o.OptionalString("namespace") ?? host.Namespace) { Name = o.OptionalString("name") };
        var places = new AppSpecPlaces(o);

        if (!o.Has("services")) o.Problem("services", "required: the application's services, e.g. [{name: web, public: true, routes: [...]}]");
        var items = o.List("services");
        var declared = new List<(ConfigObject Item, ServiceBuilder Service)>();
        foreach (var item in items)
        {
            if (BindService(item, app, places) is { } service) declared.Add((item, service));
        }
        var byName = declared.GroupBy(d => d.Service.Name).ToDictionary(g => g.Key, g => g.First().Service, StringComparer.Ordinal);
        foreach (var (item, service) in declared) BindCalls(item, service, byName, places);
        foreach (var item in items) item.RejectUnknown();
        o.RejectUnknown();

        try
        {
            var topology = app.Build();
            foreach (var (route, item) in places.Routes)
            {
                if (Unenforceable(route.Route, mesh) is { } why) item.Problem($"path.{AppSpecPlaces.KindKey(route.Route.Path.Kind)}", why);
            }
            return root.Problems.Items.Count > before ? null : topology;
        }
        catch (AppModelException e)
        {
            foreach (var problem in e.Details) root.Problems.Add(places.Of(problem), problem.Message);
            return null;
        }
    }

    /// <summary>A route the mesh's authorization cannot express exactly: refused rather than widened or narrowed.</summary>
    private static string? Unenforceable(ApiRoute route, MeshKind mesh) =>
        mesh == MeshKind.Istio ? Istio.IstioSecurityRenderer.Unexpressible(route.Path) : null;

    private static ServiceBuilder? BindService(ConfigObject s, AppBuilder app, AppSpecPlaces places)
    {
        // the name's form is the model's rule (AppBuilder); an absent one is this binder's
        var name = s.RequiredString("name", "the service's name, [a-z0-9-]+, unique in the application");
        var isPublic = s.Bool("public", false);
        var database = s.Bool("database", false);
        var validatesTokens = s.Bool("validatesTokens", false);
        // the port's range is the model's rule too: read any whole number and let the builder judge it
        int? port = s.Has("port") ? s.Int("port", 8080, int.MinValue, int.MaxValue) : null;
        var image = s.OptionalString("image");
        if (image is not null && (image.Length == 0 || image.Any(char.IsWhiteSpace)))
        {
            s.Problem("image", $"\"{Excerpt.Of(image)}\" is not an image reference (registry/name:tag, no spaces)");
            image = null;
        }
        // root (0) is refused: pods run as non-root
        long? runAsUser = s.Has("runAsUser") ? s.Int("runAsUser", (int)AppService.DefaultRunAsUser, 1, int.MaxValue) : null;
        var routes = s.List("routes").Select(r => (Item: r, Route: BindRoute(r))).ToList();
        _ = s.Has("calls"); // read once every service is declared (BindCalls)
        if (name.Length == 0) return null;

        var service = app.AddService(name);
        places.Services[service] = s;
        if (isPublic) service.AsPublic();
        if (database) service.WithDatabase();
        if (validatesTokens) service.ValidatesEndUserTokens();
        if (port is { } p) service.WithPort(p);
        if (image is not null) service.WithImage(image);
        if (runAsUser is { } uid) service.RunAsUser(uid);
        foreach (var (item, route) in routes)
        {
            if (route is not null) places.Routes[service.Route(route)] = item;
        }
        return service;
    }

    private static ApiRoute? BindRoute(ConfigObject r)
    {
        var name = r.RequiredString("name", "the route's name, [a-z0-9-]+, unique in its service (calls and traffic.routes name it)");
        var method = r.RequiredString("method", $"the HTTP method: one of {string.Join(", ", Methods)}");
        if (method.Length > 0 && !Methods.Contains(method, StringComparer.Ordinal))
        {
            var near = NearestName.For(method, Methods);
            r.Problem("method", $"\"{Excerpt.Of(method)}\" is not one of {string.Join(", ", Methods)}{(near is null ? "" : $" (did you mean \"{near}\"?)")}");
            method = "";
        }
        var path = BindPath(r);
        var idempotent = r.Bool("idempotent", Idempotent.Contains(method, StringComparer.Ordinal));
        var timeout = method is "GET" or "HEAD" ? ApiRoute.ReadTimeout : ApiRoute.WriteTimeout;
        if (r.OptionalString("timeout") is { } t)
        {
            if (Traffic.Duration.TryParse(t, out var parsed) && parsed > TimeSpan.Zero) timeout = parsed;
            else r.Problem("timeout", $"\"{Excerpt.Of(t)}\" must be {Traffic.Duration.PatternText}, above zero");
        }
        r.RejectUnknown();
        return name.Length > 0 && method.Length > 0 && path is not null ? new ApiRoute(name, method, path, idempotent, timeout) : null;
    }

    /// <summary><c>path: {exact | prefix | regex: ...}</c>, exactly one of them.</summary>
    private static PathMatch? BindPath(ConfigObject r)
    {
        if (!r.Has("path"))
        {
            r.Problem("path", "required: how the route matches the request path, one of {exact: /items}, {prefix: /items/} or {regex: \"/items/[^/]+\"}");
            return null;
        }
        var p = r.Object("path");
        var given = PathKinds.Where(p.Has).ToList();
        PathMatch? match = null;
        if (given.Count != 1)
        {
            if (p.Fields.Count > 0 || given.Count > 1)
                r.Problem("path", given.Count == 0 ? $"give one of {string.Join(", ", PathKinds)}" : $"gives {string.Join(" and ", given)}: give exactly one of {string.Join(", ", PathKinds)}");
            else if (!p.Problems.Items.Any(x => x.Path == r.PathOf("path"))) r.Problem("path", $"is empty: give one of {string.Join(", ", PathKinds)}");
        }
        else if (p.RequiredString(given[0], "the path to match") is { Length: > 0 } value)
        {
            match = given[0] switch
            {
                "exact" => PathMatch.Exact(value),
                "prefix" => PathMatch.Prefix(value),
                _ => PathMatch.Regex(value),
            };
        }
        p.RejectUnknown();
        return match;
    }

    /// <summary><c>calls: [{service, routes?}]</c>: routes by name; without <c>routes</c>, every route of the service.</summary>
    private static void BindCalls(ConfigObject s, ServiceBuilder caller, Dictionary<string, ServiceBuilder> services, AppSpecPlaces places)
    {
        foreach (var c in s.List("calls"))
        {
            var name = c.RequiredString("service", "the called service's name");
            var hasRoutes = c.Has("routes");
            var routeNames = c.StringList("routes");
            c.RejectUnknown();
            if (name.Length == 0) continue;
            if (!services.TryGetValue(name, out var callee))
            {
                c.Problem("service", NotDeclared($"\"{Excerpt.Of(name)}\" is not a service of the application", name, services.Keys));
                continue;
            }
            if (hasRoutes && routeNames.Count == 0 && !c.Problems.Items.Any(x => x.Path.StartsWith(c.PathOf("routes"), StringComparison.Ordinal)))
                c.Problem("routes", $"is empty: list the routes of {name} it calls, or omit routes to call all of them");
            var called = new List<RouteReference>();
            for (var i = 0; i < routeNames.Count; i++)
            {
                var route = callee.Routes.FirstOrDefault(r => r.Name == routeNames[i]);
                if (route is null)
                    c.Problem($"routes[{i}]", NotDeclared($"\"{Excerpt.Of(routeNames[i])}\" is not a route of {name}", routeNames[i], callee.Routes.Select(r => r.Name)));
                else called.Add(route);
            }
            if (!hasRoutes) called.AddRange(callee.Routes);
            caller.Calls([.. called]);
            foreach (var route in called) places.Calls.TryAdd((caller, route), c.PathOf("service"));
        }
    }

    private static string NotDeclared(string what, string name, IEnumerable<string> known)
    {
        var names = known.ToList();
        var near = NearestName.For(name, names);
        return near is not null ? $"{what}; did you mean \"{near}\"?"
            : names.Count == 0 ? $"{what}, which declares none" : $"{what} ({string.Join(", ", names)})";
    }
}
