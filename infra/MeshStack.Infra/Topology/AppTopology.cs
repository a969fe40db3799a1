namespace MeshStack.Topology;

/// <summary>
/// The application, in one place: services, their routes, and who calls whom. Workloads, routes,
/// authorization and tracing are all derived from it, so they cannot disagree.
/// </summary>
public sealed record AppTopology(string Namespace, IReadOnlyList<AppService> Services, IReadOnlyList<ServiceCall> Calls)
{
    public AppService Service(string name) =>
        Services.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"no service '{name}' in the topology", nameof(name));

    public IEnumerable<ServiceCall> CallsTo(AppService callee) => Calls.Where(c => c.To == callee);

    /// <summary>The ecommerce application: the API the services in <c>services/</c> implement.</summary>
    public static AppTopology Ecommerce()
    {
        var order = new AppService
        {
            Name = "order",
            UsesDatabase = true,
            Routes =
            [
                ApiRoute.Read("list-orders", PathMatch.Exact("/orders")),
                ApiRoute.Read("get-order", PathMatch.Prefix("/orders/")),
                ApiRoute.Write("create-order", PathMatch.Exact("/orders")),
            ],
        };
        var inventory = new AppService
        {
            Name = "inventory",
            UsesDatabase = true,
            Routes =
            [
                ApiRoute.Read("list-stock", PathMatch.Exact("/inventory")),
                ApiRoute.Read("get-stock", PathMatch.Prefix("/inventory/")),
                ApiRoute.Write("reserve-stock", PathMatch.Exact("/inventory/reservations")),
                // releasing a reservation twice is harmless, so it may be retried
                ApiRoute.Write("release-stock", PathMatch.Regex("/inventory/reservations/[^/]+/release"), idempotent: true),
            ],
        };
        var payment = new AppService
        {
            Name = "payment",
            Routes =
            [
                ApiRoute.Write("charge", PathMatch.Exact("/payments")),
                ApiRoute.Read("get-payment", PathMatch.Prefix("/payments/")),
            ],
        };
        var gateway = new AppService
        {
            Name = "api-gateway",
            Public = true,
            Resources = new("100m", "128Mi", "1000m", "256Mi"),
            Routes =
            [
                ApiRoute.Read("orders", PathMatch.Prefix("/orders")),
                ApiRoute.Write("create-order", PathMatch.Exact("/orders")),
                ApiRoute.Read("inventory", PathMatch.Prefix("/inventory")),
                ApiRoute.Read("payments", PathMatch.Prefix("/payments")),
            ],
        };
        var frontend = new AppService
        {
            Name = "frontend",
            Public = true,
            Routes =
            [
                ApiRoute.Read("pages", PathMatch.Prefix("/")),
                // the page posts its order form back to itself (Razor static rendering)
                ApiRoute.Write("place-order", PathMatch.Exact("/")),
            ],
        };
        return new AppTopology("ecommerce", [gateway, order, inventory, payment, frontend],
        [
            new(frontend, gateway, [gateway.Route("inventory"), gateway.Route("orders"), gateway.Route("create-order")]),
            new(gateway, order, order.Routes),
            new(gateway, inventory, [inventory.Route("list-stock"), inventory.Route("get-stock")]),
            new(gateway, payment, [payment.Route("get-payment")]),
            new(order, inventory, [inventory.Route("reserve-stock"), inventory.Route("release-stock")]),
            new(order, payment, [payment.Route("charge")]),
        ]);
    }
}
