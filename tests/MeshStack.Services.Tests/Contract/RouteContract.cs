using System.Text.RegularExpressions;
using MeshStack.Topology;

namespace MeshStack.Services.Tests;

/// <summary>
/// The contract between a service's declared routes (the topology, from which the mesh's routing and authorization are
/// rendered) and the endpoints its app maps, both ways: every endpoint is an operation some route declares, and every
/// declared route is served by an endpoint. A route covers an endpoint of the same method when every instance of the
/// endpoint's template matches the route's path: <c>Exact /orders</c> covers <c>/orders</c>; <c>Prefix /orders/</c>
/// covers <c>/orders/{id}</c>; <c>Regex /inventory/reservations/[^/]+/release</c> covers
/// <c>/inventory/reservations/{id}/release</c>.
/// </summary>
public static partial class RouteContract
{
    /// <summary>
    /// Values a parameter takes in a template's instances: an id, a one-letter segment, a SKU, digits, and the
    /// unreserved punctuation a path segment may hold. A regex that admits only some of them (digits only, no dot) is
    /// narrower than the endpoint, and the mesh would deny requests the app serves.
    /// </summary>
    private static readonly string[] SegmentValues = ["0190a5b0-0000-7000-8000-000000000001", "x", "MUG-001", "42", "a.b", "a_b~c"];

    /// <summary>What a catch-all parameter takes: nothing, one segment, several.</summary>
    private static readonly string[] CatchAllValues = ["", "x", "a/b/c"];

    /// <summary>Concrete request paths of a template, one per sample value (every parameter takes it).</summary>
    public static IReadOnlyList<string> Instances(string template) =>
        !template.Contains('{', StringComparison.Ordinal)
            ? [template]
            : Enumerable.Range(0, Math.Max(SegmentValues.Length, CatchAllValues.Length))
                .Select(i => Parameter().Replace(template, m => m.Groups["catchAll"].Success
                    ? CatchAllValues[i % CatchAllValues.Length]
                    : SegmentValues[i % SegmentValues.Length]))
                .Distinct()
                .ToList();

    public static bool Covers(ApiRoute route, MappedEndpoint endpoint) =>
        route.Method == endpoint.Method && Instances(endpoint.Template).All(route.Path.Matches);

    /// <summary>
    /// The kubelet's liveness and readiness probes reach the pod's port directly (the topology's probe paths, which the
    /// infra renders on the Deployment), outside the mesh's routes and authorization: they are not operations of the
    /// API, no route declares them, and they are left out here, but each must be served.
    /// </summary>
    public static bool IsProbe(AppService service, MappedEndpoint endpoint) =>
        endpoint.Template == service.LivenessPath || endpoint.Template == service.ReadinessPath;

    /// <summary>Every breach of the contract, each naming the service and the endpoint or route, with the fix.</summary>
    public static IReadOnlyList<string> Breaches(AppService service, IReadOnlyList<MappedEndpoint> endpoints)
    {
        var operations = endpoints.Where(e => !IsProbe(service, e)).ToList();
        var breaches = new List<string>();
        breaches.AddRange(operations.Where(e => !service.Routes.Any(route => Covers(route, e)))
            .Select(e => $"{service.Name} maps {e}, which no route of {service.Name} in the topology covers: declare it, or remove the endpoint"));
        breaches.AddRange(service.Routes.Where(route => !operations.Any(e => Covers(route, e)))
            .Select(route => $"{service.Name} declares route '{route.Name}' ({route.Method} {route.Path}), which no endpoint of its app serves: map it, or remove the route"));
        breaches.AddRange(new[] { service.LivenessPath, service.ReadinessPath }.Distinct()
            .Where(probe => !endpoints.Any(e => e.Template == probe))
            .Select(probe => $"{service.Name} does not serve its probe path {probe} (the topology's LivenessPath/ReadinessPath)"));
        return breaches;
    }

    [GeneratedRegex(@"\{(?<catchAll>\*\*?)?[^}]+\}")]
    private static partial Regex Parameter();
}
