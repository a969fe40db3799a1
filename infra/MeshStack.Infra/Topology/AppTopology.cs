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

    /// <summary>Which downstream routes each route's handler calls (empty: no route calls another).</summary>
    public IReadOnlyList<RouteForward> Forwards { get; init; } = [];

    /// <summary>The downstream routes the handler of <paramref name="service"/>'s <paramref name="route"/> calls directly.</summary>
    public IEnumerable<RouteForward> ForwardsOf(AppService service, ApiRoute route) =>
        Forwards.Where(f => f.Service == service && f.Route == route);

    /// <summary>The ecommerce application: the API the services in <c>services/</c> implement.</summary>
    public static AppTopology Ecommerce()
    {
        var order = new AppService
        {
            Name = "order",
            UsesDatabase = true,
            // the customer of an order is the token's subject (services/Order): order checks the token itself
            ValidatesEndUserTokens = true,
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
                // committing a reservation twice commits it once (services/Inventory), so it may be retried
                ApiRoute.Write("commit-stock", PathMatch.Regex("/inventory/reservations/[^/]+/commit"), idempotent: true),
            ],
        };
        var payment = new AppService
        {
            Name = "payment",
            // the payment ledger (services/Payment): a charge is idempotent on the order id across restarts
            UsesDatabase = true,
            Routes =
            [
                ApiRoute.Write("charge", PathMatch.Exact("/payments")),
                // a refund (or a void before the charge) is keyed by the order id: repeating it changes nothing
                ApiRoute.Write("refund", PathMatch.Exact("/payments/refunds"), idempotent: true),
                ApiRoute.Read("get-payment", PathMatch.Prefix("/payments/")),
            ],
        };
        var gateway = new AppService
        {
            Name = "api-gateway",
            Public = true,
            ValidatesEndUserTokens = true,
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
        RouteForward Forward(AppService from, string route, AppService to, string calleeRoute) =>
            new(from, from.Route(route), to, to.Route(calleeRoute));
        return new AppTopology("ecommerce", [gateway, order, inventory, payment, frontend],
        [
            new(frontend, gateway, [gateway.Route("inventory"), gateway.Route("orders"), gateway.Route("create-order")]),
            new(gateway, order, order.Routes),
            new(gateway, inventory, [inventory.Route("list-stock"), inventory.Route("get-stock")]),
            new(gateway, payment, [payment.Route("get-payment")]),
            new(order, inventory, [inventory.Route("reserve-stock"), inventory.Route("release-stock"), inventory.Route("commit-stock")]),
            new(order, payment, [payment.Route("charge"), payment.Route("refund")]),
        ])
        {
            // what the handlers in services/ call: the gateway proxies by prefix (ApiGateway/GatewayRoutes.cs),
            // the frontend renders pages from the gateway and posts the order form to it, order places an order by
            // reserving stock, charging, then committing the reservation, or releasing it and refunding the charge when
            // the order cannot complete (Order/PlaceOrder.cs, and the recovery process that finishes pending orders)
            Forwards =
            [
                Forward(gateway, "orders", order, "list-orders"),
                Forward(gateway, "orders", order, "get-order"),
                Forward(gateway, "create-order", order, "create-order"),
                Forward(gateway, "inventory", inventory, "list-stock"),
                Forward(gateway, "inventory", inventory, "get-stock"),
                Forward(gateway, "payments", payment, "get-payment"),
                Forward(frontend, "pages", gateway, "inventory"),
                Forward(frontend, "pages", gateway, "orders"),
                Forward(frontend, "place-order", gateway, "create-order"),
                Forward(order, "create-order", inventory, "reserve-stock"),
                Forward(order, "create-order", inventory, "release-stock"),
                Forward(order, "create-order", inventory, "commit-stock"),
                Forward(order, "create-order", payment, "charge"),
                Forward(order, "create-order", payment, "refund"),
            ],
        };
    }
}
