using MeshStack.Config;
using MeshStack.Tests.Support;
using MeshStack.Topology;
using MeshStack.Traffic;
using IstioCrd = MeshStack.Crds.Networking.Istio.V1;
using FlaggerCrd = MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Graph;

namespace MeshStack.Tests.Traffic;

/// <summary>
/// Retries at one hop per call path: a client request, through the edge or from a meshed caller, causes at most
/// 1 + (one hop's retries) attempts at any service on its path, on every corpus stack, on both meshes, whatever the
/// number of clusters; and on Istio, every destination has a retry budget.
/// </summary>
public class RetryHopTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    /// <summary>Every client-facing route (the public services' routes), entered through each edge host and from inside the mesh.</summary>
    private static IEnumerable<(AppService Service, ApiRoute Route, string? Edge)> Entries(StackConfig config, ClusterConfig cluster) =>
        from s in Topology.Services.Where(s => s.Public)
        from r in s.Routes
        from edge in config.Traffic.Edge.Where(e => e.Service == s.Name).Select(e => (string?)e.Host).Append(null)
        select (s, r, edge);

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void A_client_request_is_retried_at_one_hop_of_its_call_path_only(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        var mesh = config.Mesh == MeshKind.Istio ? "istio" : "linkerd";
        var maxOneHop = 1 + TrafficIntent.DefaultAttempts;
        var readPathChecked = false;
        foreach (var cluster in config.Clusters)
        {
            var sim = new CallPathSimulator(graph, cluster.Name, mesh, Topology);
            foreach (var (service, route, edge) in Entries(config, cluster))
            {
                var attempts = sim.Attempts(service, route, edge);
                foreach (var (callee, n) in attempts)
                    Assert.True(n <= maxOneHop,
                        $"{name} {cluster.Name}: one {route.Method} {route.Path} to {service.Name} via {edge ?? "the mesh"} can cause {n} attempts at {callee}");
            }
            // the read path api-gateway -> order still retries at its last hop: a transient failure of order is absorbed
            var gateway = Topology.Service("api-gateway");
            var get = sim.Attempts(gateway, gateway.Route("orders"), null);
            Assert.Equal(maxOneHop, get["order"]);
            // and the write path api-gateway -> order -> payment is never repeated: a charge happens once per request
            var post = sim.Attempts(gateway, gateway.Route("create-order"), null);
            Assert.Equal(1, post["payment/charge"]);
            readPathChecked = true;
        }
        Assert.True(readPathChecked);
    }

    [Fact]
    public void Seeded_fault_an_edge_that_retries_in_front_of_the_gateway_is_caught()
    {
        // today's rule before this fix: every idempotent route retried at every hop
        var (config, graph) = CorpusRender.GraphOf("generated:istio-1-cluster");
        var edgeVs = graph["east-traffic"].As<ConfigGroupArgs>().Objects.OfType<IstioCrd.VirtualService>()
            .Single(v => v.Spec!.Gateways is { Count: > 0 } && v.Spec.Hosts!.Contains(config.Traffic.Edge[0].Host));
        var saved = edgeVs.Spec!.Http!.Select(h => h.Retries).ToList();
        try
        {
            foreach (var h in edgeVs.Spec.Http!) h.Retries = new IstioCrd.VirtualServiceSpecHttpRetries { Attempts = 2 };
            var sim = new CallPathSimulator(graph, "east", "istio", Topology);
            var gateway = Topology.Service("api-gateway");
            Assert.Equal(9, sim.Attempts(gateway, gateway.Route("orders"), config.Traffic.Edge[0].Host)["order"]);
        }
        finally
        {
            for (var i = 0; i < saved.Count; i++) edgeVs.Spec.Http![i].Retries = saved[i];
        }
    }

    [Fact]
    public void Retries_asked_for_in_front_of_a_hop_that_retries_are_refused_with_the_key()
    {
        Rejection.AssertRenderRejects("retries at two hops", """
            config:
              mesh-stack:clusters: [{name: east, context: kind-east}]
              mesh-stack:traffic:
                routes:
                  api-gateway/orders: {retries: 2}
            """, "mesh-stack:traffic.routes.api-gateway/orders.retries: api-gateway/orders calls order/list-orders, which the mesh already retries");
    }

    [Fact]
    public void Retries_move_outwards_when_the_inner_hop_gives_them_up()
    {
        var graph = Stacks.GraphFromYaml("""
            config:
              mesh-stack:mesh: istio
              mesh-stack:clusters: [{name: east, context: kind-east}]
              mesh-stack:traffic:
                edge: [{host: shop.example.com, service: api-gateway}]
                routes:
                  order/list-orders: {retries: 0}
                  order/get-order: {retries: 0}
                  api-gateway/orders: {retries: 2}
            """);
        var sim = new CallPathSimulator(graph, "east", "istio", Topology);
        var gateway = Topology.Service("api-gateway");
        var attempts = sim.Attempts(gateway, gateway.Route("orders"), "shop.example.com");
        Assert.Equal(3, attempts["api-gateway"]);
        Assert.Equal(3, attempts["order"]);
    }

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_Istio_destination_bounds_concurrent_retries(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        if (config.Mesh != MeshKind.Istio) return;
        foreach (var cluster in config.Clusters)
        {
            // pilot/pkg/networking/core/cluster_traffic_policy.go 158-159 (Istio 1.31.0-rc.0) sets Envoy's max_retries only
            // when maxRetries > 0; otherwise getDefaultCircuitBreakerThresholds (472-477) leaves it at 2^32-1: no budget
            foreach (var dr in graph[$"{cluster.Name}-traffic"].As<ConfigGroupArgs>().Objects.OfType<IstioCrd.DestinationRule>())
            {
                var pool = dr.Spec!.TrafficPolicy!.ConnectionPool!;
                Assert.True(pool.Http!.MaxRetries is > 0, $"{name} {dr.Metadata.Name}: no retry budget");
                Assert.True(pool.Http.MaxRetries < pool.Tcp!.MaxConnections, $"{name} {dr.Metadata.Name}: retries may take every connection");
            }
            if (graph.Contains($"{cluster.Name}-flagger-canary"))
                foreach (var c in graph[$"{cluster.Name}-flagger-canary"].As<ConfigGroupArgs>().Objects.OfType<FlaggerCrd.Canary>())
                    Assert.True(c.Spec!.Service!.TrafficPolicy!.ConnectionPool!.Http!.MaxRetries is > 0, $"{name} Canary {c.Metadata.Name}: no retry budget");
        }
    }
}
