using MeshStack.Topology;

namespace Marketplace.AppHost;

/// <summary>
/// A marketplace: shoppers use the storefront, sellers' systems the partner API (which checks their tokens itself).
/// Eight services, two with databases, reads by regex, an idempotent POST and PUT, a DELETE, its own namespace,
/// app name, port, image and UID. Declared with calls only (no forwards): every route of a caller may call every route
/// it calls. tests/Fixtures/Marketplace/*.yaml declare the same application as mesh-stack:app.
/// </summary>
public static class MarketplaceApp
{
    public static AppTopology Declare()
    {
        var app = new AppBuilder("market") { Name = "marketplace" };

        var storefront = app.AddService("storefront").AsPublic();
        storefront.Get("pages", PathMatch.Prefix("/"));
        storefront.Post("place-order", PathMatch.Exact("/checkout"));

        var partners = app.AddService("partner-api").AsPublic().ValidatesEndUserTokens();
        partners.Get("listings", PathMatch.Prefix("/v1/listings"));
        partners.Post("publish", PathMatch.Exact("/v1/listings"));

        var catalog = app.AddService("catalog").WithDatabase();
        var listListings = catalog.Get("list-listings", PathMatch.Exact("/listings"));
        var getListing = catalog.Get("get-listing", PathMatch.Prefix("/listings/"));
        var createListing = catalog.Post("create-listing", PathMatch.Exact("/listings"));
        var retireListing = catalog.Route(new ApiRoute("retire-listing", "DELETE", PathMatch.Prefix("/listings/"), true, ApiRoute.WriteTimeout));

        var search = app.AddService("search").WithPort(9090);
        var query = search.Get("query", PathMatch.Exact("/search"));
        var index = search.Route(new ApiRoute("index-listing", "PUT", PathMatch.Regex("/index/[^/]+"), true, ApiRoute.WriteTimeout));

        var cart = app.AddService("cart");
        var getCart = cart.Get("get-cart", PathMatch.Regex("/carts/[^/]+"));
        var addItem = cart.Post("add-item", PathMatch.Regex("/carts/[^/]+/items"));

        var checkout = app.AddService("checkout");
        var startCheckout = checkout.Post("start-checkout", PathMatch.Exact("/checkouts"), timeout: TimeSpan.FromSeconds(20));

        var payments = app.AddService("payments").WithDatabase();
        var authorize = payments.Post("authorize", PathMatch.Exact("/authorizations"));
        // capturing an authorization twice captures it once
        var capture = payments.Post("capture", PathMatch.Regex("/authorizations/[^/]+/capture"), idempotent: true);

        var notifications = app.AddService("notifications").WithImage("registry.example.com/notify:2.3").RunAsUser(10001);
        var send = notifications.Post("send", PathMatch.Exact("/notifications"));

        storefront.Calls(listListings, getListing, query, getCart, addItem, startCheckout);
        partners.Calls(listListings, getListing, createListing, retireListing);
        catalog.Calls(index);
        checkout.Calls(getCart, authorize, capture, send);
        return app.Build();
    }
}
