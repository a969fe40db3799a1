using MeshStack.Topology;

namespace MeshStack.Config;

/// <summary>
/// Where in <c>mesh-stack:app</c> each declared value came from: the key path an <see cref="AppModelProblem"/> about
/// a service, route or call is reported at.
/// </summary>
internal sealed class AppSpecPlaces(ConfigObject app)
{
    public Dictionary<ServiceBuilder, ConfigObject> Services { get; } = [];
    public Dictionary<RouteReference, ConfigObject> Routes { get; } = [];
    /// <summary>The <c>calls[k].service</c> key that declared each (caller, called route).</summary>
    public Dictionary<(ServiceBuilder Caller, RouteReference Callee), string> Calls { get; } = [];

    public string Of(AppModelProblem problem) => problem.Part switch
    {
        AppModelPart.Namespace => app.PathOf("namespace"),
        AppModelPart.Services => app.PathOf("services"),
        AppModelPart.Call when problem is { Service: { } caller, Callee: { } callee } && Calls.TryGetValue((caller, callee), out var path) => path,
        AppModelPart.RouteName when problem.Route is { } route && Routes.TryGetValue(route, out var r) => r.PathOf("name"),
        AppModelPart.RoutePath when problem.Route is { } route && Routes.TryGetValue(route, out var r) => r.PathOf("path") + "." + KindKey(route.Route.Path.Kind),
        _ when problem.Service is { } service && Services.TryGetValue(service, out var s) => s.PathOf(ServiceKey(problem.Part)),
        _ => app.Path,
    };

    public static string KindKey(PathMatchKind kind) => kind switch
    {
        PathMatchKind.Exact => "exact",
        PathMatchKind.Prefix => "prefix",
        _ => "regex",
    };

    private static string ServiceKey(AppModelPart part) => part switch
    {
        AppModelPart.Port => "port",
        AppModelPart.Public => "public",
        AppModelPart.ValidatesTokens => "validatesTokens",
        AppModelPart.Call => "calls",
        AppModelPart.RouteName or AppModelPart.RoutePath => "routes",
        _ => "name",
    };
}
