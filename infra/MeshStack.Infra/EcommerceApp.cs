using MeshStack.Topology;

namespace Ecommerce.AppHost;

/// <summary>
/// The ecommerce application: the API the services in <c>services/</c> implement, and who calls whom. A forward says
/// what a route's handler calls (which also declares the call): the gateway proxies by prefix (ApiGateway/GatewayRoutes.cs),
/// the frontend renders pages from the gateway and posts the order form to it, order places an order by reserving
/// stock, charging, then committing the reservation, or releasing it and refunding the charge when the order cannot
/// complete (Order/PlaceOrder.cs, and the recovery process that finishes pending orders).
/// </summary>
public static class EcommerceApp
{
    public static AppTopology Declare()
    {
        var app = new AppBuilder("ecommerce");
        var gateway = app.AddService("api-gateway").AsPublic().ValidatesEndUserTokens()
            .WithResources(new("100m", "128Mi", "1000m", "256Mi"));
        // the customer of an order is the token's subject (services/Order): order checks the token itself
        var order = app.AddService("order").WithDatabase().ValidatesEndUserTokens();
        var inventory = app.AddService("inventory").WithDatabase();
        // the payment ledger (services/Payment): a charge is idempotent on the order id across restarts
        var payment = app.AddService("payment").WithDatabase();
        var frontend = app.AddService("frontend").AsPublic();

        var listOrders = order.Get("list-orders", PathMatch.Exact("/orders"));
        var getOrder = order.Get("get-order", PathMatch.Prefix("/orders/"));
        var createOrder = order.Post("create-order", PathMatch.Exact("/orders"));

        var listStock = inventory.Get("list-stock", PathMatch.Exact("/inventory"));
        var getStock = inventory.Get("get-stock", PathMatch.Prefix("/inventory/"));
        var reserveStock = inventory.Post("reserve-stock", PathMatch.Exact("/inventory/reservations"));
        // releasing a reservation twice is harmless, so it may be retried
        var releaseStock = inventory.Post("release-stock", PathMatch.Regex("/inventory/reservations/[^/]+/release"), idempotent: true);
        // committing a reservation twice commits it once (services/Inventory), so it may be retried
        var commitStock = inventory.Post("commit-stock", PathMatch.Regex("/inventory/reservations/[^/]+/commit"), idempotent: true);

        var charge = payment.Post("charge", PathMatch.Exact("/payments"));
        // a refund (or a void before the charge) is keyed by the order id: repeating it changes nothing
        var refund = payment.Post("refund", PathMatch.Exact("/payments/refunds"), idempotent: true);
        var getPayment = payment.Get("get-payment", PathMatch.Prefix("/payments/"));

        var gatewayOrders = gateway.Get("orders", PathMatch.Prefix("/orders"));
        var gatewayCreateOrder = gateway.Post("create-order", PathMatch.Exact("/orders"));
        var gatewayInventory = gateway.Get("inventory", PathMatch.Prefix("/inventory"));
        var gatewayPayments = gateway.Get("payments", PathMatch.Prefix("/payments"));

        var pages = frontend.Get("pages", PathMatch.Prefix("/"));
        // the page posts its order form back to itself (Razor static rendering)
        var placeOrder = frontend.Post("place-order", PathMatch.Exact("/"));


        gatewayOrders.Forwards(listOrders, getOrder);
        gatewayCreateOrder.Forwards(createOrder);
        gatewayInventory.Forwards(listStock, getStock);
        gatewayPayments.Forwards(getPayment);
        pages.Forwards(gatewayInventory, gatewayOrders);
        placeOrder.Forwards(gatewayCreateOrder);
        createOrder.Forwards(reserveStock, releaseStock, commitStock, charge, refund);
        return app.Build();
    }
}
