using MeshStack.Analysis.Simulation;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Linkerd;
using MeshStack.MultiCluster;
using MeshStack.Output;
using MeshStack.Tests.Security;
using MeshStack.Tests.Support;
using MeshStack.Topology;
using LinkerdHttpRoute = MeshStack.Crds.Gateway.Networking.K8s.V1.HTTPRoute;

namespace MeshStack.Tests;

/// <summary>
/// "Which services run where": a cluster's <c>services</c> decides where a service's workloads (and the database of
/// the services that keep state) run; every cluster still declares every Service, so local callers and the edge
/// resolve it, and the mesh carries the call to a cluster that runs it. With Linkerd's gateway mode the callee sees
/// the gateway's identity, so it grants the gateway exactly the routes of its remote callers.
/// </summary>
public class PlacementTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();
    private static readonly string[] All = [.. Topology.Services.Select(s => s.Name)];

    /// <summary>Clusters as (name, services or null for all, extra YAML lines).</summary>
    private static string StackYaml(string mesh, params (string Name, string[]? Services, string Extra)[] clusters) =>
        $"config:\n  mesh-stack:mesh: {mesh}\n  mesh-stack:clusters:\n" + string.Concat(clusters.Select(c =>
            $"    - name: {c.Name}\n      context: ctx-{c.Name}\n      server: https://api.{c.Name}.example.com:6443\n" + (mesh == "istio" ? $"      network: net-{c.Name}\n" : "")
            + (c.Services is null ? "" : $"      services: [{string.Join(", ", c.Services)}]\n") + c.Extra));

    /// <summary>east serves the web and the orders; west takes the payments.</summary>
    private static string Split(string mesh, string westExtra = "") => StackYaml(mesh,
        ("east", ["frontend", "api-gateway", "order", "inventory"], ""),
        ("west", ["payment"], westExtra));

    private static List<string> NamesOf<T>(ResourceGraph graph, string cluster) where T : IKubernetesObject =>
        graph.Resources.Where(r => r.Cluster == cluster && r.Inputs is T && r.Inputs is IMetadata<V1ObjectMeta> m && m.Metadata.NamespaceProperty == "ecommerce")
            .Select(r => ((IMetadata<V1ObjectMeta>)r.Inputs).Metadata.Name).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void Workloads_run_only_where_placed_and_every_cluster_declares_every_service(string mesh)
    {
        var graph = Stacks.GraphFromYaml(Split(mesh));
        Assert.Equal(["api-gateway", "frontend", "inventory", "order", "postgres"], NamesOf<V1Deployment>(graph, "east").Concat(NamesOf<V1StatefulSet>(graph, "east")).Order(StringComparer.Ordinal));
        Assert.Equal(["payment"], NamesOf<V1Deployment>(graph, "west"));
        Assert.Equal(["api-gateway", "frontend", "inventory", "order"], NamesOf<V1ServiceAccount>(graph, "east"));
        Assert.Equal(["payment"], NamesOf<V1ServiceAccount>(graph, "west"));
        foreach (var cluster in new[] { "east", "west" })
        {
            var services = NamesOf<V1Service>(graph, cluster);
            Assert.All(All, name => Assert.Contains(name, services));
            // a Service here selects the same pods as where the service runs: the mesh finds them in the other cluster
            Assert.Equal("payment", graph[$"{cluster}-payment-service"].As<V1Service>().Spec.Selector["app"]);
        }
    }

    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void A_cluster_without_a_service_that_keeps_state_has_no_database_and_no_database_policy(string mesh)
    {
        // west runs only the frontend, which keeps no state
        var graph = Stacks.GraphFromYaml(StackYaml(mesh, ("east", All, ""), ("west", ["frontend"], "")));
        Assert.True(graph.Contains("east-postgres-statefulset"));
        Assert.True(graph.Contains("east-postgres-password"));
        Assert.DoesNotContain(graph.Resources, r => r.Cluster == "west" && r.Name.Contains("postgres", StringComparison.Ordinal));
        var west = StackEmitter.Emit(graph, []).Manifests.Where(m => m.Cluster == "west").Select(m => m.Parse()).ToList();
        Assert.DoesNotContain(west, o => o["metadata"]?["name"]?.GetValue<string>().StartsWith("postgres", StringComparison.Ordinal) == true);
        // the frontend's pods get no database credentials
        var frontend = graph["west-frontend-deployment"].As<V1Deployment>().Spec.Template.Spec.Containers[0];
        Assert.DoesNotContain(frontend.Env ?? [], e => e.Name.StartsWith("PG", StringComparison.Ordinal));
    }

    [Fact]
    public void Linkerd_exports_only_the_services_that_run_in_the_cluster()
    {
        var graph = Stacks.GraphFromYaml(Split("linkerd"));
        foreach (var (cluster, local) in new[] { ("east", new[] { "frontend", "api-gateway", "order", "inventory" }), ("west", ["payment"]) })
        {
            foreach (var name in All)
            {
                var labels = graph[$"{cluster}-{name}-service"].As<V1Service>().Metadata.Labels;
                if (local.Contains(name)) Assert.Equal("true", labels["mirror.linkerd.io/exported"]);
                else Assert.False(labels.ContainsKey("mirror.linkerd.io/exported"), $"{cluster}/{name} is exported without pods");
            }
        }
    }

    private static IEnumerable<LinkerdHttpRoute> TrafficRoutes(ResourceGraph graph, string cluster, string service) =>
        graph[$"{cluster}-traffic"].As<ConfigGroupArgs>().Objects.OfType<LinkerdHttpRoute>()
            .Where(r => r.Spec.ParentRefs!.Single().Name == service);

    [Fact]
    public void Linkerd_routes_a_service_that_runs_elsewhere_to_its_mirrors_in_equal_shares()
    {
        var graph = Stacks.GraphFromYaml(StackYaml("linkerd",
            ("east", ["frontend", "api-gateway", "order", "inventory"], ""),
            ("west", ["payment", "inventory"], ""),
            ("central", ["payment"], "")));

        // east has no payment: both clusters that run it, through the mirrors the links make
        var routes = TrafficRoutes(graph, "east", "payment").ToList();
        Assert.Equal(Topology.Service("payment").Routes.Count + 1, routes.Count); // every route and the fallback
        foreach (var route in routes)
        {
            var backends = Assert.Single(route.Spec.Rules!).BackendRefs!;
            Assert.Equal([("payment-west", 8080, 1), ("payment-central", 8080, 1)], backends.Select(b => (b.Name, b.Port!.Value, b.Weight!.Value)));
        }
        // where a service runs, its own Service takes everything
        foreach (var route in TrafficRoutes(graph, "west", "payment"))
            Assert.Equal(("payment", (int?)null), (Assert.Single(Assert.Single(route.Spec.Rules!).BackendRefs!).Name, Assert.Single(route.Spec.Rules!).BackendRefs!.Single().Weight));
        // central runs only payment: order, inventory and the edge's services come from the clusters that run them
        Assert.All(TrafficRoutes(graph, "central", "order"), r => Assert.Equal(["order-east"], r.Spec.Rules!.Single().BackendRefs!.Select(b => b.Name)));
        Assert.All(TrafficRoutes(graph, "central", "inventory"), r => Assert.Equal(["inventory-east", "inventory-west"], r.Spec.Rules!.Single().BackendRefs!.Select(b => b.Name)));
    }

    [Fact]
    public void Linkerd_fault_drill_on_a_remote_service_still_takes_its_share_from_every_mirror()
    {
        var yaml = Split("linkerd") + "  mesh-stack:traffic:\n    faults:\n      - service: payment\n        percent: 10\n        abortStatus: 503\n";
        var graph = Stacks.GraphFromYaml(yaml);
        var backends = TrafficRoutes(graph, "east", "payment").First().Spec.Rules!.Single().BackendRefs!;
        // the drill's 10 % of the whole, whatever the backends' weights add up to
        Assert.Equal([("payment-west", 90), ("fault-injector-503", 10)], backends.Select(b => (b.Name, b.Weight!.Value)));
    }

    private static readonly string Gateway = "linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local";

    private static string LinkerdIdentity(AppService s) => $"{s.ServiceAccount}.ecommerce.serviceaccount.identity.linkerd.cluster.local";

    private static Dictionary<string, string> Pods(IReadOnlyList<JsonObject> manifests, string service) =>
        manifests.Single(o => o["kind"]!.GetValue<string>() == "Deployment" && o["metadata"]!["name"]!.GetValue<string>() == service)
            ["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    /// <summary>Every route of <paramref name="callee"/> that <paramref name="callers"/> (services) may call.</summary>
    private static HashSet<ApiRoute> RoutesOf(AppService callee, IEnumerable<string> callers, bool edge) =>
        [.. Topology.Calls.Where(c => c.To == callee && callers.Contains(c.From.Name)).SelectMany(c => c.Routes)
            .Concat(edge && callee.Public ? callee.Routes : [])];

    private static string SamplePath(ApiRoute r) => r.Path.Kind switch
    {
        PathMatchKind.Exact => r.Path.Value,
        PathMatchKind.Prefix => r.Path.Value.TrimEnd('/') + "/42", // a segment below the prefix
        _ => r.Path.Value.Replace("[^/]+", "r-7", StringComparison.Ordinal),
    };

    [Fact]
    public void Linkerd_gateway_mode_grants_the_gateway_exactly_the_routes_of_remote_callers()
    {
        // both public services on the edge, so each cluster's edge (Traefik) is a caller of them
        var graph = Stacks.GraphFromYaml(Split("linkerd") + "  mesh-stack:traffic:\n    edge:\n      - host: api.example.com\n        service: api-gateway\n"
            + "      - host: shop.example.com\n        service: frontend\n");
        var manifests = StackEmitter.Emit(graph, []).Manifests.GroupBy(m => m.Cluster).ToDictionary(g => g.Key, g => g.Select(m => m.Parse()).ToList());
        var local = new Dictionary<string, string[]> { ["east"] = ["frontend", "api-gateway", "order", "inventory"], ["west"] = ["payment"] };
        foreach (var (cluster, services) in local)
        {
            var authorizer = new LinkerdAuthorizer(manifests[cluster]);
            var other = local.Single(l => l.Key != cluster).Value;
            foreach (var callee in services.Select(Topology.Service))
            {
                var pods = Pods(manifests[cluster], callee.Name);
                // remote callers: the services of the other cluster, and its edge when that cluster lacks the callee
                var viaGateway = RoutesOf(callee, other, edge: !other.Contains(callee.Name));
                foreach (var route in callee.Routes)
                {
                    var request = new InboundRequest(Gateway, route.Method, SamplePath(route));
                    Assert.True(viaGateway.Contains(route) == authorizer.Allows("ecommerce", pods, "http", request),
                        $"{cluster}: gateway {route.Method} {request.Path} on {callee.Name} should be {(viaGateway.Contains(route) ? "allowed" : "denied")}");
                    // the callers' own identities keep exactly their declared routes
                    foreach (var caller in Topology.Services)
                    {
                        var declared = RoutesOf(callee, [caller.Name], edge: false).Contains(route);
                        Assert.Equal(declared, authorizer.Allows("ecommerce", pods, "http", request with { Principal = LinkerdIdentity(caller) }));
                    }
                }
            }
        }
        // order (east) charges and refunds; api-gateway (east) reads payments: all arrive at west as the gateway
        Assert.Equal(["charge", "get-payment", "refund"], RoutesOf(Topology.Service("payment"), local["east"], edge: false).Select(r => r.Name).Order());
        // the frontend and api-gateway run only in east: west's edge reaches them through the gateway
        Assert.True(new LinkerdAuthorizer(manifests["east"]).Allows("ecommerce", Pods(manifests["east"], "frontend"), "http", new InboundRequest(Gateway, "GET", "/")));
    }

    [Fact]
    public void Linkerd_pod_to_pod_export_keeps_the_callers_identity_so_the_gateway_gets_nothing()
    {
        var graph = Stacks.GraphFromYaml(Split("linkerd", westExtra: "      export: remote-discovery\n"));
        var west = StackEmitter.Emit(graph, []).Manifests.Where(m => m.Cluster == "west").Select(m => m.Parse()).ToList();
        // (west's Link to east still names east's gateway: east exports through one)
        Assert.DoesNotContain(west, o => o["metadata"]?["namespace"]?.GetValue<string>() == "ecommerce" && o.ToJsonString().Contains(Gateway, StringComparison.Ordinal));
        var authorizer = new LinkerdAuthorizer(west);
        var charge = new InboundRequest(LinkerdIdentity(Topology.Service("order")), "POST", "/payments");
        Assert.True(authorizer.Allows("ecommerce", Pods(west, "payment"), "http", charge));
        Assert.False(authorizer.Allows("ecommerce", Pods(west, "payment"), "http", charge with { Principal = Gateway }));
    }

    [Fact]
    public void Istio_keeps_the_callers_identity_across_networks_and_renders_policy_only_for_local_workloads()
    {
        var graph = Stacks.GraphFromYaml(Split("istio"));
        var east = StackEmitter.Emit(graph, []).Manifests.Where(m => m.Cluster == "east").Select(m => m.Parse()).ToList();
        var policies = east.Where(o => o["kind"]!.GetValue<string>() == "AuthorizationPolicy").Select(o => o["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("order-callers", policies);
        Assert.DoesNotContain("payment-callers", policies);
        var west = StackEmitter.Emit(graph, []).Manifests.Where(m => m.Cluster == "west").Select(m => m.Parse()).ToList();
        var istio = new IstioAuthorizer(west);
        var labels = Pods(west, "payment");
        Assert.True(istio.Allows("ecommerce", labels, new InboundRequest("cluster.local/ns/ecommerce/sa/order", "POST", "/payments")));
        Assert.False(istio.Allows("ecommerce", labels, new InboundRequest("cluster.local/ns/ecommerce/sa/frontend", "POST", "/payments")));
    }

    [Theory]
    [InlineData("istio", "")]
    [InlineData("linkerd", "")]
    [InlineData("linkerd", "      export: remote-discovery\n")]
    public void The_policy_pack_checks_each_cluster_for_the_services_it_runs(string mesh, string westExtra)
    {
        var config = Stacks.ConfigFromYaml(Split(mesh, westExtra));
        var report = MeshStack.Security.Policy.PolicyPack.Run(config, config.App, MeshStack.Synthesis.StackSynthesizer.Synthesize(config));
        Assert.Empty(report.Errors);
    }

    [Fact]
    public void A_linkerd_link_uses_the_gateway_address_the_target_cluster_names()
    {
        var graph = Stacks.GraphFromYaml(Split("linkerd", westExtra: "      gatewayAddress: mc-gateway.west.example.com\n"));
        var toWest = (LinkerdLink)graph["east-link-west"].As<ConfigGroupArgs>().Objects.Single();
        Assert.Equal("mc-gateway.west.example.com", toWest.Spec.GatewayAddress);
        var toEast = (LinkerdLink)graph["west-link-east"].As<ConfigGroupArgs>().Objects.Single();
        Assert.Equal("${east-linkerd-gateway.status.loadBalancer.ingress[0].ip}", Expr.ToPulumiYaml(toEast.Spec.GatewayAddress!));
    }

    private const string Clusters = "  mesh-stack:clusters:\n";

    private static string Cluster(string name, string extra) =>
        $"    - name: {name}\n      context: ctx-{name}\n      server: https://api.{name}.example.com:6443\n{extra}";

    public static TheoryData<string, string, string> BadPlacements => new()
    {
        { "unknown service", "  mesh-stack:mesh: linkerd\n" + Clusters + Cluster("east", "      services: [frontend, api-gateway, ordr, inventory, payment]\n"),
            "mesh-stack:clusters[0].services[2]: \"ordr\" is not a service of the application; did you mean \"order\"?" },
        { "listed twice", "  mesh-stack:mesh: linkerd\n" + Clusters + Cluster("east", "      services: [frontend, api-gateway, order, inventory, payment, order]\n"),
            "mesh-stack:clusters[0].services[5]: \"order\" is listed twice" },
        { "empty", "  mesh-stack:mesh: linkerd\n" + Clusters + Cluster("east", "      services: []\n") + Cluster("west", ""),
            "mesh-stack:clusters[0].services: is empty: list the services that run in this cluster, or omit the key to run all of them" },
        { "runs nowhere", "  mesh-stack:mesh: istio\n" + Clusters + Cluster("east", "      services: [frontend, api-gateway, order]\n") + Cluster("west", "      services: [inventory]\n"),
            "mesh-stack:clusters: service \"payment\" runs in no cluster" },
        { "canary not everywhere", "  mesh-stack:mesh: istio\n" + Clusters + Cluster("east", "") + Cluster("west", "      services: [payment]\n")
            + "  mesh-stack:traffic:\n    canary:\n      service: order\n      weight: 10\n",
            "mesh-stack:traffic.canary.service: \"order\" does not run in cluster west: a canary service must run in every cluster" },
        { "gateway address with istio", "  mesh-stack:mesh: istio\n" + Clusters + Cluster("east", "      gatewayAddress: gw.example.com\n") + Cluster("west", ""),
            "mesh-stack:clusters[0].gatewayAddress: is for Linkerd links only" },
        { "gateway address without a gateway", "  mesh-stack:mesh: linkerd\n" + Clusters + Cluster("east", "      export: remote-discovery\n      gatewayAddress: gw.example.com\n") + Cluster("west", ""),
            "mesh-stack:clusters[0].gatewayAddress: this cluster exports with remote-discovery and has no gateway" },
        { "gateway address with a scheme", "  mesh-stack:mesh: linkerd\n" + Clusters + Cluster("east", "      gatewayAddress: https://gw.example.com\n") + Cluster("west", ""),
            "mesh-stack:clusters[0].gatewayAddress" },
    };

    [Theory]
    [MemberData(nameof(BadPlacements))]
    public void Bad_placement_config_exits_2_naming_the_key(string why, string body, string expected) =>
        Rejection.AssertRenderRejects(why, "config:\n" + body, expected);

    [Fact]
    public void Without_services_every_cluster_runs_everything()
    {
        var config = Stacks.ConfigFromYaml(StackYaml("istio", ("east", null, ""), ("west", null, "")));
        Assert.All(config.Clusters, c => Assert.All(All, s => Assert.True(c.Runs(s))));
        Assert.Equal(["east", "west"], config.ClustersRunning("payment").Select(c => c.Name));
    }
}
