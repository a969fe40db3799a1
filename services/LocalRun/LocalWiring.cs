using MeshStack.Topology;

namespace MeshStack.LocalRun;

/// <summary>
/// A service's settings on this machine, from the topology: the names the infra renders on its Deployment
/// (<c>Downstream__&lt;Callee&gt;</c> for each service it calls, infra Workloads/ServiceWorkload.cs; libpq's <c>PG*</c>
/// where it uses the database, infra Database/PostgresComponent.cs), with loopback addresses instead of cluster DNS.
/// One declared call is one downstream setting here as in a cluster: LocalStack and the service tests' stack both wire
/// services with it, and a test compares its names with the infra's render.
/// </summary>
public static class LocalWiring
{
    /// <summary>
    /// The services with every caller before its callees, ties in declaration order (ecommerce: frontend, api-gateway,
    /// order, inventory, payment). Ports are handed out in this order; a stack that needs its callees' addresses before
    /// starting a caller starts them in reverse. Services on a call cycle come last, in declaration order.
    /// </summary>
    public static IReadOnlyList<AppService> CallersFirst(AppTopology topology)
    {
        var callers = topology.Services.ToDictionary(s => s.Name, s => Callers(topology, s).Select(c => c.Name).ToHashSet(StringComparer.Ordinal));
        var ordered = new List<AppService>();
        while (topology.Services.FirstOrDefault(s => !ordered.Contains(s) && callers[s.Name].All(c => ordered.Any(o => o.Name == c))) is { } next)
        {
            ordered.Add(next);
        }

        ordered.AddRange(topology.Services.Where(s => !ordered.Contains(s)));
        return ordered;
    }

    /// <summary>The services <paramref name="service"/> calls, each once.</summary>
    public static IReadOnlyList<AppService> Callees(AppTopology topology, AppService service) =>
        topology.Calls.Where(c => c.From.Name == service.Name).Select(c => c.To).DistinctBy(s => s.Name).ToList();

    private static IEnumerable<AppService> Callers(AppTopology topology, AppService service) =>
        topology.Calls.Where(c => c.To.Name == service.Name).Select(c => c.From).DistinctBy(s => s.Name);

    /// <summary>The variable holding the address of <paramref name="callee"/>, as the infra names it.</summary>
    public static string DownstreamVariable(AppService callee) => "Downstream__" + ServiceInfo.PascalName(callee.Name);

    /// <summary>
    /// <paramref name="service"/>'s wiring: a <c>Downstream__*</c> variable per service it calls, at
    /// <paramref name="address"/> of that service, and <c>PG*</c> when it uses the database (which must then be given).
    /// </summary>
    public static Dictionary<string, string> Environment(AppTopology topology, AppService service, Func<AppService, Uri> address, DatabaseAccess? database)
    {
        var environment = Callees(topology, service).ToDictionary(DownstreamVariable, callee => address(callee).ToString().TrimEnd('/'), StringComparer.Ordinal);
        if (service.UsesDatabase)
        {
            var access = database ?? throw new InvalidOperationException($"{service.Name} uses the database (topology) but no database was given.");
            foreach (var (name, value) in access.Environment())
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>A variable's name as a configuration key: <c>__</c> is the section separator, as the environment provider reads it.</summary>
    public static string ConfigurationKey(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);
}
