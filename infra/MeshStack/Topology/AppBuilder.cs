using System.Text.RegularExpressions;

namespace MeshStack.Topology;

/// <summary>
/// Declares an application, the way a host's <c>Program.cs</c> does: services, their routes, and the calls between
/// them as references. <see cref="Build"/> checks the whole declaration and gives the model every resource derives
/// from: one declared call makes the caller's downstream address, the callee's authorization for exactly those
/// routes and the call path the mesh retries on.
/// </summary>
/// <example>
/// <code>
/// var app = new AppBuilder("shop");
/// var api = app.AddService("api").WithDatabase();
/// var list = api.Get("list-items", PathMatch.Exact("/items"));
/// var web = app.AddService("web").AsPublic();
/// web.Get("pages", PathMatch.Prefix("/")).Forwards(list);
/// AppTopology model = app.Build();
/// </code>
/// </example>
public sealed partial class AppBuilder(string @namespace)
{
    private readonly List<ServiceBuilder> _services = [];
    private readonly List<(ServiceBuilder From, RouteReference To)> _calls = [];
    private readonly List<(RouteReference From, RouteReference To)> _forwards = [];

    public string Namespace { get; } = @namespace;

    /// <summary>The <c>app.kubernetes.io/part-of</c> of its objects and its database's name; by default the namespace.</summary>
    public string? Name { get; set; }

    public ServiceBuilder AddService(string name)
    {
        var service = new ServiceBuilder(this, name);
        _services.Add(service);
        return service;
    }

    public IReadOnlyList<ServiceBuilder> Services => _services;

    internal void AddCall(ServiceBuilder from, RouteReference to)
    {
        if (!_calls.Contains((from, to))) _calls.Add((from, to));
    }

    internal void AddForward(RouteReference from, RouteReference to)
    {
        if (!_forwards.Contains((from, to))) _forwards.Add((from, to));
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    /// <summary>The model, or every problem of the declaration at once (<see cref="AppModelException"/>).</summary>
    public AppTopology Build()
    {
        var problems = new List<AppModelProblem>();
        if (!DnsLabel().IsMatch(Namespace) || Namespace.Length > 63)
            problems.Add(new(AppModelPart.Namespace, $"namespace '{Namespace}' is not a DNS label ([a-z0-9-]+, at most 63 characters, starting and ending with a letter or digit)"));
        if (_services.Count == 0) problems.Add(new(AppModelPart.Services, "no services: declare at least one"));
        // each repeat is reported on itself, so a front door can point at the declaration to rename or remove
        for (var i = 0; i < _services.Count; i++)
        {
            if (_services.Take(i).Any(s => s.Name == _services[i].Name))
                problems.Add(new(AppModelPart.ServiceName, $"service '{_services[i].Name}' is declared {_services.Count(s => s.Name == _services[i].Name)} times; service names are unique") { Service = _services[i] });
        }
        foreach (var service in _services) problems.AddRange(Problems(service));
        foreach (var (from, to) in _calls)
        {
            if (from == to.Service)
                problems.Add(new(AppModelPart.Call, $"service '{from.Name}' calls its own route '{to.Name}': a service calls itself in process, not through the mesh") { Service = from, Callee = to });
            if (!_services.Contains(to.Service))
                problems.Add(new(AppModelPart.Call, $"service '{from.Name}' calls '{to}', which belongs to another application") { Service = from, Callee = to });
        }
        var edgeTokenServices = _services.Where(s => s.Build() is { Public: true, ValidatesEndUserTokens: true }).ToList();
        if (edgeTokenServices.Count > 1)
        {
            foreach (var service in edgeTokenServices.Skip(1))
                problems.Add(new(AppModelPart.ValidatesTokens, $"public services {string.Join(", ", edgeTokenServices.Select(s => s.Name))} all validate end-user tokens: the edge checks tokens for one; make one the entry point of the others") { Service = service });
        }
        if (problems.Count > 0) throw new AppModelException(problems);

        var built = _services.ToDictionary(s => s, s => s.Build());
        ApiRoute Route(RouteReference r) => built[r.Service].Routes.First(x => x.Name == r.Name);
        var calls = _calls.GroupBy(c => (c.From, c.To.Service))
            .Select(g => new ServiceCall(built[g.Key.From], built[g.Key.Service], g.Select(c => Route(c.To)).ToList()))
            .ToList();
        var forwards = _forwards.Select(f => new RouteForward(built[f.From.Service], Route(f.From), built[f.To.Service], Route(f.To))).ToList();
        var name = Name ?? Namespace;
        return new AppTopology(Namespace, [.. _services.Select(s => built[s])], calls) { Forwards = forwards, Name = name, Database = AppDatabase.For(name) };
    }

    private static IEnumerable<AppModelProblem> Problems(ServiceBuilder service)
    {
        var model = service.Build();
        if (!DnsLabel().IsMatch(model.Name) || model.Name.Length > 40)
            yield return new(AppModelPart.ServiceName, $"service '{model.Name}': names are [a-z0-9-]+, at most 40 characters, starting and ending with a letter or digit (they name Kubernetes objects)") { Service = service };
        if (model.Port is < 1 or > 65535)
            yield return new(AppModelPart.Port, $"service '{model.Name}': port {model.Port} is not a TCP port (1-65535)") { Service = service };
        if (model.Public && model.Routes.Count == 0)
            yield return new(AppModelPart.Public, $"service '{model.Name}' is public but declares no routes: the edge would route to nothing") { Service = service };
        for (var i = 0; i < service.Routes.Count; i++)
        {
            var reference = service.Routes[i];
            var route = reference.Route;
            if (service.Routes.Take(i).Any(r => r.Name == route.Name))
                yield return new(AppModelPart.RouteName, $"service '{model.Name}' declares route '{route.Name}' {service.Routes.Count(r => r.Name == route.Name)} times; route names are unique within a service") { Service = service, Route = reference };
            if (!DnsLabel().IsMatch(route.Name))
                yield return new(AppModelPart.RouteName, $"route '{model.Name}/{route.Name}': names are [a-z0-9-]+, starting and ending with a letter or digit") { Service = service, Route = reference };
            if (!route.Path.Value.StartsWith('/') && route.Path.Kind != PathMatchKind.Regex)
                yield return new(AppModelPart.RoutePath, $"route '{model.Name}/{route.Name}': path '{route.Path.Value}' does not start with '/'") { Service = service, Route = reference };
            if (route.Path.Kind == PathMatchKind.Regex && !IsRegex(route.Path.Value))
                yield return new(AppModelPart.RoutePath, $"route '{model.Name}/{route.Name}': '{route.Path.Value}' is not a regular expression") { Service = service, Route = reference };
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
