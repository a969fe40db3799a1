using MeshStack.Topology;

namespace MeshStack.Services.Tests;

/// <summary>
/// Each of our services maps exactly the routes its topology declares (<see cref="RouteContract"/>): the mesh routes,
/// retries and authorizes by those routes, so an endpoint they miss is unreachable (or reachable unchecked) and a
/// declared route the app lacks is a 404 the mesh lets through. Read from each real app's endpoint data sources.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RouteContractTests
{
    private static AppTopology Topology => TestStack.Topology;

    public static TheoryData<string> Services()
    {
        var names = new TheoryData<string>();
        foreach (var service in Topology.Services)
        {
            names.Add(service.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_service_maps_exactly_the_routes_its_topology_declares(string name)
    {
        var service = Topology.Service(name);
        var endpoints = await ServiceEndpoints.OfAsync(service);

        Assert.Empty(RouteContract.Breaches(service, endpoints));
        // the contract compared something: the app's own operations were found beside its probes
        Assert.Contains(endpoints, e => !RouteContract.IsProbe(service, e));
    }

    [Fact]
    public async Task Seeded_fault_a_route_removed_from_the_topology_is_named_with_the_endpoint_it_leaves_undeclared()
    {
        var inventory = Topology.Service("inventory");
        var endpoints = await ServiceEndpoints.OfAsync(inventory);
        var withoutCommit = inventory with { Routes = [.. inventory.Routes.Where(r => r.Name != "commit-stock")] };

        var breach = Assert.Single(RouteContract.Breaches(withoutCommit, endpoints));
        Assert.StartsWith("inventory maps POST /inventory/reservations/{id}/commit, which no route", breach);

        // the gateway too: its endpoints come from its proxy table, the same data source the requests are routed by
        var gateway = Topology.Service("api-gateway");
        var withoutPayments = gateway with { Routes = [.. gateway.Routes.Where(r => r.Name != "payments")] };
        Assert.StartsWith("api-gateway maps GET /payments/{id}, which no route",
            Assert.Single(RouteContract.Breaches(withoutPayments, await ServiceEndpoints.OfAsync(gateway))));
    }

    [Fact]
    public async Task Seeded_fault_an_extra_endpoint_is_named()
    {
        var payment = Topology.Service("payment");
        var endpoints = await ServiceEndpoints.OfAsync(payment);

        var breach = Assert.Single(RouteContract.Breaches(payment, [.. endpoints, new MappedEndpoint("POST", "/payments/{id}/capture")]));
        Assert.StartsWith("payment maps POST /payments/{id}/capture, which no route", breach);

        // an internal operation (a charge) exposed on the gateway
        var gateway = Topology.Service("api-gateway");
        Assert.StartsWith("api-gateway maps POST /payments, which no route",
            Assert.Single(RouteContract.Breaches(gateway, [.. await ServiceEndpoints.OfAsync(gateway), new MappedEndpoint("POST", "/payments")])));
    }

    [Fact]
    public async Task Seeded_fault_a_declared_route_the_app_does_not_map_is_named()
    {
        var payment = Topology.Service("payment");
        var withVoid = payment with { Routes = [.. payment.Routes, ApiRoute.Write("void", PathMatch.Exact("/payments/voids"))] };

        var breach = Assert.Single(RouteContract.Breaches(withVoid, await ServiceEndpoints.OfAsync(payment)));
        Assert.StartsWith("payment declares route 'void' (POST /payments/voids), which no endpoint", breach);
    }

    [Fact]
    public async Task Seeded_fault_a_regex_that_admits_only_some_instances_of_the_template_does_not_cover_it()
    {
        // digits only: the app serves /inventory/reservations/<uuid>/release, which the narrowed route (and the mesh) refuses
        var inventory = Topology.Service("inventory");
        var narrowed = inventory with
        {
            Routes = [.. inventory.Routes.Select(r => r.Name == "release-stock" ? r with { Path = PathMatch.Regex("/inventory/reservations/[0-9]+/release") } : r)],
        };

        var breaches = RouteContract.Breaches(narrowed, await ServiceEndpoints.OfAsync(inventory));
        Assert.Equal(2, breaches.Count);
        Assert.StartsWith("inventory maps POST /inventory/reservations/{id}/release, which no route", breaches[0]);
        Assert.StartsWith("inventory declares route 'release-stock'", breaches[1]);
    }

    [Fact]
    public async Task Seeded_fault_probe_paths_come_from_the_topology_and_must_be_served()
    {
        // a readiness path the app does not serve: named, and the app's /readyz is then an operation nothing declares
        var order = Topology.Service("order");
        var breaches = RouteContract.Breaches(order with { ReadinessPath = "/ready" }, await ServiceEndpoints.OfAsync(order));

        Assert.Equal(2, breaches.Count);
        Assert.Contains(breaches, b => b.StartsWith("order maps ", StringComparison.Ordinal) && b.Contains(" /readyz, which no route", StringComparison.Ordinal));
        Assert.Contains("order does not serve its probe path /ready (the topology's LivenessPath/ReadinessPath)", breaches);
    }

    [Theory]
    [InlineData("/orders", "/orders")]
    [InlineData("/orders/{id}", "/orders/x")]
    [InlineData("/files/{**path}", "/files/a/b/c")]
    public void A_templates_instances_put_each_sample_in_every_parameter(string template, string instance) =>
        Assert.Contains(instance, RouteContract.Instances(template));
}
