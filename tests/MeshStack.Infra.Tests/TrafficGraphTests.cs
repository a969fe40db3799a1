using System.Text.Json.Nodes;
using MeshStack.Analysis.Simulation;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Tests.Support;
using MeshStack.Topology;
using IstioCrd = MeshStack.Crds.Networking.Istio.V1;
using Gw = MeshStack.Crds.Gateway.Networking.K8s.V1;

namespace MeshStack.Tests;

/// <summary>
/// Traffic intent in the rendered objects of both meshes and both stacks. Requests are routed through the
/// rendered routes the way each mesh does (Istio: first match in order; Gateway API: most specific match),
/// so the tests check where traffic goes, not just that objects exist.
/// </summary>
public class TrafficGraphTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    private static IReadOnlyList<object> TrafficObjects(ResourceGraph graph, string cluster) =>
        graph[$"{cluster}-traffic"].As<ConfigGroupArgs>().Objects;

    private static IEnumerable<string> Clusters(string stack) => Stacks.Config(stack).Clusters.Select(c => c.Name);

    /// <summary>A request: method, path and headers.</summary>
    private sealed record Request(string Method, string Path, Dictionary<string, string>? Headers = null);

    /// <summary>Where the mesh sends a request to a service: backend (subset or Service) → weight, and the rule's policy.</summary>
    private sealed record Routed(Dictionary<string, int> Backends, string? Timeout, int RetryAttempts);

    // Requests go through the product's routers, the ones `explain` and `check` use (Istio: first matching http
    // rule in order; Gateway API: most specific match), so these tests and the command agree by construction.
    private static HttpCall Call(Request r) => new(r.Method, r.Path, r.Headers ?? []);

    private static Routed Of(RouteDecision? d, Request request) =>
        d is null ? throw new InvalidOperationException($"no rule matches {request}")
        : new Routed(d.Backends.ToDictionary(b => b.Subset ?? b.Name, b => b.Weight), d.Timeout, d.RetryAttempts);

    private static JsonObject Json(object typed) => InputSerializer.KubernetesObject(typed);

    private static Routed RouteIstio(IstioCrd.VirtualService vs, Request request)
    {
        var json = Json(vs);
        var host = json["spec"]!["hosts"]![0]!.GetValue<string>();
        var gateway = (json["spec"]!["gateways"] as JsonArray)?[0]?.GetValue<string>() ?? "mesh";
        return Of(new IstioRouter([json]).Route(host, Call(request), gateway), request);
    }

    private static Routed RouteGateway(IEnumerable<Gw.HTTPRoute> routes, string service, Request request) =>
        Of(new GatewayRouter(routes.Select(r => Json(r)).ToList()).Route("Service", service, "ecommerce", Call(request)), request);

    private static Routed Route(ResourceGraph graph, string mesh, string cluster, string service, Request request)
    {
        var objects = TrafficObjects(graph, cluster);
        return mesh == "istio"
            ? RouteIstio(objects.OfType<IstioCrd.VirtualService>().Single(v => v.Metadata.Name == service), request)
            : RouteGateway(objects.OfType<Gw.HTTPRoute>(), service, request);
    }

    /// <summary>Every declared route of every service, as a request that should hit it.</summary>
    private static IEnumerable<(AppService Service, ApiRoute Route, Request Request)> DeclaredRequests() =>
        from s in Topology.Services
        from r in s.Routes
        select (s, r, new Request(r.Method, r.Path.Kind switch
        {
            PathMatchKind.Exact => r.Path.Value,
            PathMatchKind.Prefix => r.Path.Value.TrimEnd('/') + "/x-42",
            _ => "/inventory/reservations/r-1/release",
        }));

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Every_route_has_a_timeout_and_only_idempotent_routes_are_retried(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        // retried at one hop per call path: a route in front of one that retries forwards once (RetryHopTests)
        var hops = MeshStack.Traffic.TrafficIntent.Hops(Topology, Stacks.Config(stack).Traffic);
        foreach (var cluster in Clusters(stack))
        {
            foreach (var (service, route, request) in DeclaredRequests())
            {
                var routed = Route(graph, mesh, cluster, service.Name, request);
                Assert.Equal($"{(int)route.Timeout.TotalSeconds}s", routed.Timeout);
                if (hops.RetriedBelow(service, route) is not null) Assert.True(routed.RetryAttempts == 0, $"{service.Name}/{route.Name} retries in front of a hop that retries");
                else if (route.Idempotent) Assert.True(routed.RetryAttempts > 0, $"{service.Name}/{route.Name} is not retried");
                else Assert.True(routed.RetryAttempts == 0, $"{service.Name}/{route.Name} ({route.Method} {route.Path}) is retried: {routed.RetryAttempts}");
            }
            // what no route declares still has a timeout and no retries
            var unknown = Route(graph, mesh, cluster, "order", new Request("DELETE", "/orders/1"));
            Assert.Equal("10s", unknown.Timeout);
            Assert.Equal(0, unknown.RetryAttempts);
            if (mesh == "istio")
                Assert.All(TrafficObjects(graph, cluster).OfType<IstioCrd.VirtualService>().SelectMany(v => v.Spec!.Http!), h => Assert.NotNull(h.Timeout));
            else
                Assert.All(TrafficObjects(graph, cluster).OfType<Gw.HTTPRoute>(), r => Assert.True(r.Metadata.Annotations!.ContainsKey("timeout.linkerd.io/request"), r.Metadata.Name));
        }
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Post_orders_has_no_retries_and_reads_retry_on_5xx_reset_and_connect_failure(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Clusters(stack))
        {
            var post = Route(graph, mesh, cluster, "order", new Request("POST", "/orders"));
            Assert.Equal(0, post.RetryAttempts);
            Assert.Equal("10s", post.Timeout);
            var objects = TrafficObjects(graph, cluster);
            if (mesh == "istio")
            {
                // Istio retries by default: the rule must say 0, not leave retries out
                var rules = objects.OfType<IstioCrd.VirtualService>().Single(v => v.Metadata.Name == "order").Spec!.Http!
                    .Where(h => h.Match?.Any(m => m.Method?.Exact == "POST") == true).ToList();
                Assert.NotEmpty(rules);
                Assert.All(rules, h => Assert.Equal(0, h.Retries!.Attempts));
                var read = objects.OfType<IstioCrd.VirtualService>().Single(v => v.Metadata.Name == "order").Spec!.Http!.First(h => h.Name == "get-order");
                Assert.Equal("5xx,reset,connect-failure", read.Retries!.RetryOn);
                Assert.Equal("1600ms", read.Retries.PerTryTimeout);
            }
            else
            {
                var create = objects.OfType<Gw.HTTPRoute>().Single(r => r.Metadata.Name == "order-create-order");
                Assert.DoesNotContain(create.Metadata.Annotations!.Keys, k => k.StartsWith("retry.linkerd.io/", StringComparison.Ordinal));
                // a Service-level retry annotation would apply to POST /orders too
                var svc = graph[$"{cluster}-order-service"].As<V1Service>();
                Assert.DoesNotContain(svc.Metadata.Annotations?.Keys ?? [], k => k.StartsWith("retry.linkerd.io/", StringComparison.Ordinal));
                var read = objects.OfType<Gw.HTTPRoute>().Single(r => r.Metadata.Name == "order-get-order").Metadata.Annotations!;
                Assert.Equal("5xx", read["retry.linkerd.io/http"]);
                Assert.Equal("1600ms", read["retry.linkerd.io/timeout"]);
                Assert.DoesNotContain(objects, o => o.GetType().Name == "ServiceProfile");
            }
            // the mesh retries, so the services must not retry as well
            foreach (var s in Topology.Services)
            {
                var env = graph[$"{cluster}-{s.Name}-deployment"].As<V1Deployment>().Spec.Template.Spec.Containers[0].Env;
                Assert.Equal("false", env.Single(e => e.Name == "Resilience__AppRetries").Value);
            }
        }
    }

    public static TheoryData<string> Meshes => new() { "istio", "linkerd" };

    [Theory]
    [MemberData(nameof(Meshes))]
    public void Prod_canary_sends_10_percent_of_order_traffic_and_every_internal_user_to_v2(string mesh)
    {
        var graph = Stacks.Graph("prod", mesh);
        var (v1, v2) = mesh == "istio" ? ("v1", "v2") : ("order-v1", "order-v2");
        foreach (var cluster in Clusters("prod"))
        {
            foreach (var (_, route, request) in DeclaredRequests().Where(d => d.Service.Name == "order"))
            {
                var plain = Route(graph, mesh, cluster, "order", request);
                Assert.Equal(new Dictionary<string, int> { [v1] = 90, [v2] = 10 }, plain.Backends);
                var internalUser = Route(graph, mesh, cluster, "order",
                    request with { Headers = new() { ["x-canary-user"] = "internal" } });
                Assert.Equal([v2], internalUser.Backends.Keys);
                // the canary header changes the destination, never the route's policy
                Assert.Equal(plain.Timeout, internalUser.Timeout);
                Assert.Equal(plain.RetryAttempts, internalUser.RetryAttempts);
                var otherUser = Route(graph, mesh, cluster, "order", request with { Headers = new() { ["x-canary-user"] = "someone" } });
                Assert.Equal(plain.Backends, otherUser.Backends);
            }
            // other services have no canary
            Assert.Single(Route(graph, mesh, cluster, "payment", new Request("POST", "/payments")).Backends);

            var canary = graph[$"{cluster}-order-v2-deployment"].As<V1Deployment>();
            Assert.Equal("order-v2", canary.Metadata.Name);
            Assert.Equal("v2", canary.Spec.Template.Metadata.Labels["version"]);
            Assert.Equal("v2", canary.Spec.Selector.MatchLabels["version"]);
            Assert.Equal("ghcr.io/meshstack/order:1.5.0", canary.Spec.Template.Spec.Containers[0].Image);
            Assert.Equal("v1", graph[$"{cluster}-order-deployment"].As<V1Deployment>().Spec.Template.Metadata.Labels["version"]);

            if (mesh == "istio")
            {
                var dr = TrafficObjects(graph, cluster).OfType<IstioCrd.DestinationRule>().Single(d => d.Metadata.Name == "order");
                Assert.Equal(["v1", "v2"], dr.Spec!.Subsets!.Select(s => s.Name));
                Assert.Equal(["v1", "v2"], dr.Spec.Subsets!.Select(s => s.Labels!["version"]));
            }
            else
            {
                foreach (var version in new[] { "v1", "v2" })
                {
                    var svc = graph[$"{cluster}-order-{version}-service"].As<V1Service>();
                    Assert.Equal(new Dictionary<string, string> { ["app"] = "order", ["version"] = version }, svc.Spec.Selector);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Order_has_circuit_breaking(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Clusters(stack))
        {
            if (mesh == "istio")
            {
                var policy = TrafficObjects(graph, cluster).OfType<IstioCrd.DestinationRule>().Single(d => d.Metadata.Name == "order").Spec!.TrafficPolicy!;
                Assert.Equal(5, policy.OutlierDetection!.Consecutive5xxErrors);
                Assert.Equal("10s", policy.OutlierDetection.Interval);
                Assert.Equal("15s", policy.OutlierDetection.BaseEjectionTime);
                Assert.Equal(50, policy.OutlierDetection.MaxEjectionPercent);
                Assert.Equal(100, policy.ConnectionPool!.Tcp!.MaxConnections);
                Assert.Equal(50, policy.ConnectionPool.Http!.Http1MaxPendingRequests);
                var strict = Stacks.Config(stack).Mtls == Config.MtlsMode.Strict;
                Assert.Equal(strict ? IstioCrd.DestinationRuleSpecTrafficPolicyTlsMode.IstioMutual : null, policy.Tls?.Mode);
            }
            else
            {
                var annotations = graph[$"{cluster}-order-service"].As<V1Service>().Metadata.Annotations!;
                Assert.Equal("consecutive", annotations["balancer.linkerd.io/failure-accrual"]);
                Assert.Equal("5", annotations["balancer.linkerd.io/failure-accrual-consecutive-max-failures"]);
                Assert.Equal("15s", annotations["balancer.linkerd.io/failure-accrual-consecutive-min-penalty"]);
            }
        }
    }

    [Fact]
    public void Dev_has_no_canary_and_every_service_routes_to_itself()
    {
        var graph = Stacks.Graph("dev");
        Assert.False(graph.Contains("dev-order-v2-deployment"));
        Assert.False(graph.Contains("dev-order-v1-service"));
        foreach (var (service, _, request) in DeclaredRequests())
            Assert.Equal([service.Name], Route(graph, "linkerd", "dev", service.Name, request).Backends.Keys);
    }

    [Fact]
    public void Prod_frontend_hashes_on_x_user_id_and_the_rest_balance_by_least_request()
    {
        var rules = TrafficObjects(Stacks.Graph("prod"), "east").OfType<IstioCrd.DestinationRule>().ToDictionary(d => d.Metadata.Name, d => d.Spec!.TrafficPolicy!.LoadBalancer!);
        Assert.Equal("x-user-id", rules["frontend"].ConsistentHash!.HttpHeaderName);
        Assert.All(rules.Where(r => r.Key != "frontend"), r => Assert.Equal(IstioCrd.DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LeastRequest, r.Value.Simple));
    }

    [Theory]
    [MemberData(nameof(Meshes))]
    public void Prod_edge_sends_api_example_com_orders_to_the_api_gateway(string mesh)
    {
        var graph = Stacks.Graph("prod", mesh);
        foreach (var cluster in Clusters("prod"))
        {
            if (mesh == "istio")
            {
                var objects = TrafficObjects(graph, cluster);
                var gateway = objects.OfType<IstioCrd.Gateway>().Single();
                Assert.Equal("ingress", gateway.Spec!.Selector!["istio"]);
                Assert.All(gateway.Spec.Servers!, s => Assert.Contains("ecommerce/api.example.com", s.Hosts!));
                var edge = objects.OfType<IstioCrd.VirtualService>().Single(v => v.Spec!.Gateways?.Contains("edge") == true && v.Spec.Hosts!.Contains("api.example.com"));
                Assert.Equal(["api.example.com"], edge.Spec!.Hosts);
                var routed = RouteIstio(edge, new Request("GET", "/orders/17"));
                Assert.Equal(["v1"], routed.Backends.Keys);
                Assert.Equal("api-gateway.ecommerce.svc.cluster.local", edge.Spec.Http!.First(h => h.Name == "orders").Route![0].Destination.Host);
                Assert.Equal(0, RouteIstio(edge, new Request("POST", "/orders")).RetryAttempts);
            }
            else
            {
                var ingress = graph[$"{cluster}-ingress-api-example-com"].As<V1Ingress>();
                var rule = ingress.Spec.Rules.Single();
                Assert.Equal("api.example.com", rule.Host);
                var orders = rule.Http.Paths.Single(p => p.Path == "/orders");
                Assert.Equal("api-gateway", orders.Backend.Service.Name);
                // Traefik is meshed, so Linkerd applies the Service's HTTPRoutes to edge traffic too
                var release = graph[$"{cluster}-traefik"].As<HelmReleaseArgs>();
                Assert.True(release.Values["providers"]!["kubernetesIngress"]!["nativeLBByDefault"]!.GetValue<bool>());
                Assert.Equal("enabled", graph[$"{cluster}-ns-edge"].As<V1Namespace>().Metadata.Annotations["linkerd.io/inject"]);
                // the identity the app's policies admit: the chart makes no ServiceAccount once one is named, so the stack does
                var account = graph[$"{cluster}-traefik-sa"];
                Assert.Equal(("traefik", "edge"), (account.As<V1ServiceAccount>().Metadata.Name, account.As<V1ServiceAccount>().Metadata.NamespaceProperty));
                Assert.Equal("traefik", release.Values["serviceAccount"]!["name"]!.GetValue<string>());
                Assert.Contains(account, graph[$"{cluster}-traefik"].Options.DependsOn);
            }
        }
    }

    private const string DrillStack = """
        config:
          mesh-stack:mesh: MESH
          mesh-stack:clusters:
            - name: c1
              context: ctx
          mesh-stack:traffic:
            faults:
              - service: payment
                route: charge
                percent: 20
                abortStatus: 503
        """;

    [Fact]
    public void No_drill_means_no_fault_anywhere()
    {
        foreach (var (stack, mesh) in new[] { ("dev", "linkerd"), ("dev", "istio"), ("prod", "linkerd"), ("prod", "istio") })
        {
            var graph = Stacks.Graph(stack, mesh);
            Assert.DoesNotContain(graph.Resources, r => r.Name.Contains("fault-injector", StringComparison.Ordinal));
            foreach (var cluster in Clusters(stack))
                Assert.All(TrafficObjects(graph, cluster).OfType<IstioCrd.VirtualService>().SelectMany(v => v.Spec!.Http!), h => Assert.Null(h.Fault));
        }
    }

    [Fact]
    public void Istio_drill_aborts_the_chosen_route_only()
    {
        var graph = Stacks.GraphFromYaml(DrillStack.Replace("MESH", "istio"));
        var http = TrafficObjects(graph, "c1").OfType<IstioCrd.VirtualService>().Single(v => v.Metadata.Name == "payment").Spec!.Http!;
        var charge = http.Single(h => h.Name == "charge");
        Assert.Equal(503, charge.Fault!.Abort!.HttpStatus);
        Assert.Equal(20, charge.Fault.Abort.Percentage!.Value);
        Assert.All(http.Where(h => h.Name != "charge"), h => Assert.Null(h.Fault));
    }

    [Fact]
    public void Linkerd_drill_is_a_weighted_backend_that_returns_the_status()
    {
        var graph = Stacks.GraphFromYaml(DrillStack.Replace("MESH", "linkerd"));
        var routes = TrafficObjects(graph, "c1").OfType<Gw.HTTPRoute>().ToList();
        var charge = RouteGateway(routes, "payment", new Request("POST", "/payments"));
        Assert.Equal(new Dictionary<string, int> { ["payment"] = 8000, ["fault-injector-503"] = 2000 }, charge.Backends);
        Assert.Equal(["payment"], RouteGateway(routes, "payment", new Request("GET", "/payments/1")).Backends.Keys);
        var config = graph["c1-fault-injector-503-config"].As<V1ConfigMap>().Data["default.conf"];
        Assert.Contains("return 503;", config);
        Assert.Equal("fault-injector-503", graph["c1-fault-injector-503-service"].As<V1Service>().Metadata.Name);
    }
}
