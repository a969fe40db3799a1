using MeshStack.Config;
using MeshStack.Topology;

namespace MeshStack.Tests.Application;

/// <summary>The public declaration API: what a host's Program.cs writes, and what it refuses.</summary>
public class AppBuilderTests
{
    private static (AppBuilder App, ServiceBuilder Api, RouteReference List, ServiceBuilder Web) Shop()
    {
        var app = new AppBuilder("shop");
        var api = app.AddService("api").WithDatabase();
        var list = api.Get("list-items", PathMatch.Exact("/items"));
        api.Post("create-item", PathMatch.Exact("/items"));
        var web = app.AddService("web").AsPublic();
        web.Get("pages", PathMatch.Prefix("/")).Forwards(list);
        return (app, api, list, web);
    }

    [Fact]
    public void A_forward_declares_the_call_and_the_call_path()
    {
        var model = Shop().App.Build();
        var call = Assert.Single(model.Calls);
        Assert.Equal("web -> api: list-items", $"{call.From.Name} -> {call.To.Name}: {string.Join(", ", call.Routes.Select(r => r.Name))}");
        var web = model.Service("web");
        var forward = Assert.Single(model.ForwardsOf(web, web.Route("pages")));
        Assert.Equal("api/list-items", $"{forward.Callee.Name}/{forward.CalleeRoute.Name}");
        // the app's name and database follow the namespace unless set
        Assert.Equal(("shop", "shop"), (model.Name, model.Database.Name));
    }

    [Fact]
    public void Without_forwards_every_route_may_call_every_called_route()
    {
        var app = new AppBuilder("shop");
        var api = app.AddService("api");
        var list = api.Get("list-items", PathMatch.Exact("/items"));
        var create = api.Post("create-item", PathMatch.Exact("/items"));
        var web = app.AddService("web").AsPublic();
        web.Get("pages", PathMatch.Prefix("/"));
        web.Calls(list, create);
        var model = app.Build();
        var w = model.Service("web");
        Assert.Equal(["list-items", "create-item"], model.ForwardsOf(w, w.Route("pages")).Select(f => f.CalleeRoute.Name));
    }

    [Fact]
    public void Calls_to_a_service_take_all_its_routes()
    {
        var (app, api, _, web) = Shop();
        web.Calls(api);
        Assert.Equal(["list-items", "create-item"], Assert.Single(app.Build().Calls).Routes.Select(r => r.Name));
    }

    [Fact]
    public void Every_problem_of_a_declaration_is_reported_at_once()
    {
        var app = new AppBuilder("shop");
        var api = app.AddService("api");
        var list = api.Get("list", PathMatch.Exact("/items"));
        api.Get("list", PathMatch.Exact("/items2"));
        api.Calls(list);
        app.AddService("api");
        app.AddService("Web_1").AsPublic();
        api.Get("bad", PathMatch.Regex("/items/[unclosed"));
        var e = Assert.Throws<AppModelException>(app.Build);
        Assert.Contains(e.Problems, p => p.Contains("service 'api' is declared 2 times"));
        Assert.Contains(e.Problems, p => p.Contains("declares route 'list' 2 times"));
        Assert.Contains(e.Problems, p => p.Contains("'api' calls its own route 'list'"));
        Assert.Contains(e.Problems, p => p.Contains("'Web_1'") && p.Contains("[a-z0-9-]+"));
        Assert.Contains(e.Problems, p => p.Contains("'Web_1' is public but declares no routes"));
        Assert.Contains(e.Problems, p => p.Contains("'/items/[unclosed' is not a regular expression"));
    }

    [Fact]
    public void An_unknown_route_name_fails_naming_the_routes_there_are()
    {
        var (_, api, _, _) = Shop();
        var e = Assert.Throws<AppModelException>(() => api["list-itemz"]);
        Assert.Contains("service 'api' has no route 'list-itemz' (its routes: list-items, create-item)", e.Message);
    }

    [Fact]
    public void The_edge_checks_tokens_for_one_public_service()
    {
        var (app, api, _, web) = Shop();
        web.ValidatesEndUserTokens();
        Assert.Equal("web", app.Build().EdgeTokenService?.Name);
        api.AsPublic().ValidatesEndUserTokens();
        var e = Assert.Throws<AppModelException>(app.Build);
        Assert.Contains(e.Problems, p => p.Contains("api, web all validate end-user tokens"));
    }

    [Theory]
    [InlineData(null, null, "ghcr.io/acme/api:1.0")]
    [InlineData(null, "1.1", "ghcr.io/acme/api:1.1")]
    [InlineData("registry.example.com:5000/team/api:2.0", null, "registry.example.com:5000/team/api:2.0")]
    [InlineData("registry.example.com:5000/team/api:2.0", "2.1", "registry.example.com:5000/team/api:2.1")]
    [InlineData("registry.example.com:5000/team/api", "2.1", "registry.example.com:5000/team/api:2.1")]
    [InlineData("registry.example.com/api@sha256:0123", "2.1", "registry.example.com/api:2.1")]
    public void A_service_image_is_its_own_or_the_registry_s_and_a_canary_changes_only_the_tag(string? own, string? canaryTag, string expected)
    {
        var service = new AppService { Name = "api", Routes = [], Image = own };
        Assert.Equal(expected, new ImagesConfig("ghcr.io/acme", "1.0").For(service, canaryTag));
    }
}
