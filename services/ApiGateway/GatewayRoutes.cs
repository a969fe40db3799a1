using MeshStack.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MeshStack.ApiGateway;

/// <summary>
/// One public operation: a method and a path template (ASP.NET Core route syntax, one segment per parameter),
/// the cluster that serves it, and whether a signed-in caller is required when JWTs are checked.
/// </summary>
public sealed record PublicRoute(string Id, string Method, string Path, string Cluster, bool SignedIn);

/// <summary>
/// The gateway's whole routing table: exactly the public API, method by method. Everything else (reservations,
/// releases, charges, refunds, other methods, deeper paths) matches no route and never reaches a service.
/// A test (RouteContractTests) checks the endpoints this table maps against the api-gateway's routes in the topology, both ways.
/// </summary>
public static class GatewayRoutes
{
    public static readonly IReadOnlyList<PublicRoute> Public =
    [
        new("list-orders", "GET", "/orders", "order", SignedIn: true),
        new("create-order", "POST", "/orders", "order", SignedIn: true),
        new("get-order", "GET", "/orders/{id}", "order", SignedIn: true),
        // The catalogue is for everyone, signed in or not (the shop page shows it before sign-in).
        new("list-stock", "GET", "/inventory", "inventory", SignedIn: false),
        new("get-stock", "GET", "/inventory/{sku}", "inventory", SignedIn: false),
        new("get-payment", "GET", "/payments/{id}", "payment", SignedIn: true),
    ];

    private static readonly (string Cluster, string Downstream)[] Upstreams =
    [
        ("order", "Order"),
        ("inventory", "Inventory"),
        ("payment", "Payment"),
    ];

    public static IReadOnlyList<RouteConfig> Routes(string? signedInPolicy) =>
        Public.Select(route => new RouteConfig
        {
            RouteId = route.Id,
            ClusterId = route.Cluster,
            Match = new RouteMatch { Path = route.Path, Methods = [route.Method] },
            AuthorizationPolicy = route.SignedIn ? signedInPolicy : null,
        }).ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration) =>
        Upstreams.Select(entry => new ClusterConfig
        {
            ClusterId = entry.Cluster,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [entry.Cluster] = new() { Address = Downstream.Address(configuration, entry.Downstream).ToString() },
            },
            // Upper bound on a silent upstream; the services answer within their own outgoing-call timeouts.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
        }).ToList();
}
