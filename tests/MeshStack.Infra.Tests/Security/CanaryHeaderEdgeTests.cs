using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Security;

/// <summary>
/// The header that sends a request to the canary is for callers inside the mesh: a client on the internet that sends
/// it reaches the stable version, and no service behind the edge sees the header (the api-gateway would pass it on to
/// order). Inside, the frontend is told the header's name and passes it on to the gateway.
/// </summary>
public class CanaryHeaderEdgeTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    /// <summary>A corpus stack, with a canary header added where its canary has none and there is an edge (the automated 2-cluster stacks).</summary>
    private static IReadOnlyList<DeployedCluster> WithHeader(string corpus)
    {
        var clusters = DeployedCluster.Of(corpus);
        var canary = clusters[0].Config.Traffic.Canary;
        return canary is { Header: null } && clusters[0].Config.Traffic.Edge.Count > 0
            ? DeployedCluster.Variant(corpus, "canary-header", yaml => yaml.Replace("      service: order\n", "      service: order\n      header: {name: x-canary-user, value: internal}\n", StringComparison.Ordinal))
            : clusters;
    }

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void An_internet_client_cannot_choose_the_canary_and_the_frontend_passes_the_header_on(string corpus)
    {
        foreach (var cluster in WithHeader(corpus))
        {
            if (cluster.Config.Traffic.Canary is not { Header: { } header } canary) continue;
            var frontend = cluster.OfKind("Deployment").SingleOrDefault(d => DeployedCluster.NameOf(d) == "frontend");
            if (frontend is not null)
                Assert.Contains(frontend["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray(),
                    e => e!["name"]!.GetValue<string>() == "Canary__Header" && e["value"]!.GetValue<string>() == header.Name);
            foreach (var edge in cluster.Config.Traffic.Edge)
            {
                // Flagger's VirtualService serves a delivered service's edge hosts: the binder keeps a header off those (see below)
                if (cluster.IsIstio && canary.Automated && canary.Service == edge.Service) continue;
                var route = Topology.Service(edge.Service).Routes.First(r => r.Path.Kind != PathMatchKind.Regex);
                var sent = new Dictionary<string, string> { [header.Name] = header.Value, ["x-request-id"] = "r-1" };
                var forwarded = EdgeRequest.Send(cluster, edge.Host, route.Method, route.Path.Value, sent);
                Assert.Equal(edge.Service, forwarded.Service);
                Assert.False(forwarded.Headers.ContainsKey(header.Name), $"{cluster}: {edge.Host} forwards {header.Name} from the internet");
                Assert.Equal("r-1", forwarded.Headers["x-request-id"]);
                Assert.NotEqual(canary.Version, forwarded.Subset);
            }
        }
    }

    [Fact]
    public void An_Istio_ab_test_on_a_service_the_edge_routes_to_is_refused() =>
        Rejection.AssertRenderRejects("A/B test on an edge service", """
            config:
              mesh-stack:mesh: istio
              mesh-stack:clusters:
                - name: east
                  context: ctx
              mesh-stack:traffic:
                canary:
                  service: api-gateway
                  automated: true
                  header: {name: x-canary-user, value: internal}
                edge:
                  - host: api.example.com
                    service: api-gateway
            """, "mesh-stack:traffic.canary.header: api-gateway is on the edge");

    /// <summary>Seeded fault: an edge that forwards what it receives (the render before) is caught by the same check.</summary>
    [Theory]
    [InlineData("generated:istio-1-cluster")]
    [InlineData("generated:linkerd-1-cluster")]
    public void The_check_catches_an_edge_that_forwards_the_header(string corpus)
    {
        var cluster = DeployedCluster.Of(corpus)[0];
        var sent = new Dictionary<string, string> { ["x-canary-user"] = "internal" };
        Assert.False(EdgeRequest.Send(cluster, "shop.gen.example.com", "GET", "/orders", sent).Headers.ContainsKey("x-canary-user"));
        var objects = cluster.Objects.Select(o => (System.Text.Json.Nodes.JsonObject)o.DeepClone()).ToList();
        foreach (var rule in objects.Where(o => o["kind"]!.GetValue<string>() == "VirtualService").SelectMany(v => v["spec"]!["http"]!.AsArray()))
            rule!.AsObject().Remove("headers");
        var program = (System.Text.Json.Nodes.JsonObject)cluster.Program.DeepClone();
        if (program["resources"]![$"{cluster.Name}-traefik"]?["properties"]?["values"]?["ports"] is System.Text.Json.Nodes.JsonObject ports)
            foreach (var (_, entry) in ports) (entry as System.Text.Json.Nodes.JsonObject)?.Remove("middlewares");
        var faulty = cluster.With(objects, program);
        Assert.True(EdgeRequest.Send(faulty, "shop.gen.example.com", "GET", "/orders", sent).Headers.ContainsKey("x-canary-user"));
    }
}
