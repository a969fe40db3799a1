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
        var problems = new List<string>();
        if (!DnsLabel().IsMatch(Namespace) || Namespace.Length > 63)
            problems.Add($"namespace '{Namespace}' is not a DNS label ([a-z0-9-]+, at most 63 characters, starting and ending with a letter or digit)");
        if (_services.Count == 0) problems.Add("no services: declare at least one with AddService");
        foreach (var group in _services.GroupBy(s => s.Name).Where(g => g.Count() > 1))
            problems.Add($"service '{group.Key}' is declared {group.Count()} times; service names are unique");
        foreach (var service in _services) problems.AddRange(Problems(service));
        foreach (var (from, to) in _calls)
        {
            if (from == to.Service) problems.Add($"service '{from.Name}' calls its own route '{to.Name}': a service calls itself in process, not through the mesh");
            if (!_services.Contains(to.Service)) problems.Add($"service '{from.Name}' calls '{to}', which belongs to another application");
        }
        var edgeTokenServices = _services.Select(s => s.Build()).Where(s => s.Public && s.ValidatesEndUserTokens).Select(s => s.Name).ToList();
        if (edgeTokenServices.Count > 1)
            problems.Add($"public services {string.Join(", ", edgeTokenServices)} all validate end-user tokens: the edge checks tokens for one; make one the entry point of the others");
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

    private static IEnumerable<string> Problems(ServiceBuilder service)
    {
        var model = service.Build();
        if (!DnsLabel().IsMatch(model.Name) || model.Name.Length > 40)
            yield return $"service '{model.Name}': names are [a-z0-9-]+, at most 40 characters, starting and ending with a letter or digit (they name Kubernetes objects)";
        if (model.Port is < 1 or > 65535) yield return $"service '{model.Name}': port {model.Port} is not a TCP port (1-65535)";
        if (model.Public && model.Routes.Count == 0) yield return $"service '{model.Name}' is public but declares no routes: the edge would route to nothing";
        foreach (var group in model.Routes.GroupBy(r => r.Name).Where(g => g.Count() > 1))
            yield return $"service '{model.Name}' declares route '{group.Key}' {group.Count()} times; route names are unique within a service";
        foreach (var route in model.Routes)
        {
            if (!DnsLabel().IsMatch(route.Name)) yield return $"route '{model.Name}/{route.Name}': names are [a-z0-9-]+";
            if (!route.Path.Value.StartsWith('/') && route.Path.Kind != PathMatchKind.Regex)
                yield return $"route '{model.Name}/{route.Name}': path '{route.Path.Value}' does not start with '/'";
            if (route.Path.Kind == PathMatchKind.Regex && !IsRegex(route.Path.Value))
                yield return $"route '{model.Name}/{route.Name}': '{route.Path.Value}' is not a regular expression";
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
