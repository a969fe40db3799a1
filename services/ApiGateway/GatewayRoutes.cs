using MeshStack.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MeshStack.ApiGateway;

/// <summary>The gateway's whole routing table. Paths and clusters mirror the infra's authorization rules.</summary>
public static class GatewayRoutes
{
    private static readonly (string Prefix, string Cluster, string Downstream)[] Table =
    [
        ("/orders", "order", "Order"),
        ("/inventory", "inventory", "Inventory"),
        ("/payments", "payment", "Payment"),
    ];

    public static IReadOnlyList<RouteConfig> Routes(string? ordersPolicy) =>
        Table.Select(entry => new RouteConfig
        {
            RouteId = entry.Cluster,
            ClusterId = entry.Cluster,
            // A catch-all also matches the bare prefix, so "/orders" and "/orders/..." both route here.
            Match = new RouteMatch { Path = entry.Prefix + "/{**rest}" },
            AuthorizationPolicy = entry.Cluster == "order" ? ordersPolicy : null,
        }).ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration) =>
        Table.Select(entry => new ClusterConfig
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
