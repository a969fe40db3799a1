using System.Text.Json.Nodes;
using MeshStack.Analysis.Simulation;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Security;

/// <summary>
/// A prefix route covers whole path segments on both meshes: the api-gateway's <c>/orders</c> route admits
/// <c>/orders</c> and <c>/orders/42</c>, never <c>/ordersX</c>, and <c>/inventory</c> never <c>/inventory-admin</c>;
/// a prefix ending in <c>/</c> (payment's <c>/payments/</c>) admits only what lies below it.
/// Linkerd: an inbound PathPrefix is matched by segment, trailing slashes ignored (linkerd2-proxy
/// linkerd/http/route/src/http/match/path.rs 41-51), where a regex <c>/orders.*</c> admitted any suffix.
/// Istio: an AuthorizationPolicy path ending in <c>*</c> is a plain string prefix (istio 1.31
/// pilot/pkg/security/authz/matcher/string.go 111-112), so a segment prefix is rendered as the path and <c>path/*</c>.
/// </summary>
public class PrefixRouteTests
{
    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void A_prefix_route_admits_its_own_segments_and_not_a_sibling_path_sharing_its_characters(string corpus)
    {
        foreach (var cluster in DeployedCluster.Of(corpus).Where(c => c.PodLabels("api-gateway") is not null))
        {
            var frontend = cluster.Identity("ecommerce", "frontend");
            foreach (var path in new[] { "/orders", "/orders/", "/orders/42", "/inventory", "/inventory/sku-1" })
                Assert.True(cluster.Allows(frontend, "api-gateway", "GET", path), $"{cluster}: frontend GET {path} must be admitted");
            foreach (var path in new[] { "/ordersX", "/orders-admin", "/inventory-admin", "/inventoryX/1" })
                Assert.False(cluster.Allows(frontend, "api-gateway", "GET", path), $"{cluster}: frontend GET {path} matches no route and must be denied");
        }
        // a prefix ending in "/" covers only what lies below it: the api-gateway may read a payment, not GET the
        // collection (only order's POST /payments is declared there); under Linkerd permissive any client reaches
        // declared routes, which this does not change
        foreach (var cluster in DeployedCluster.Of(corpus).Where(c => c.PodLabels("payment") is not null))
        {
            var gateway = cluster.Identity("ecommerce", "api-gateway");
            Assert.True(cluster.Allows(gateway, "payment", "GET", "/payments/p-1"), $"{cluster}: api-gateway GET /payments/p-1");
            foreach (var path in new[] { "/payments", "/paymentsX", "/payments-admin/1" })
                Assert.False(cluster.Allows(gateway, "payment", "GET", path), $"{cluster}: api-gateway GET {path} must be denied");
        }
    }

    /// <summary>Seeded fault: the old renderings (a regex on Linkerd, a string prefix on Istio) are caught by the same check.</summary>
    [Theory]
    [InlineData("generated:linkerd-1-cluster")]
    [InlineData("generated:istio-1-cluster")]
    public void The_check_catches_a_prefix_rendered_as_a_plain_string_prefix(string corpus)
    {
        var cluster = DeployedCluster.Of(corpus)[0];
        var objects = cluster.Objects.Select(o => (JsonObject)o.DeepClone()).ToList();
        foreach (var o in objects)
        {
            if (o["kind"]!.GetValue<string>() == "HTTPRoute" && o["apiVersion"]!.GetValue<string>().StartsWith("policy.linkerd.io/", StringComparison.Ordinal))
                foreach (var m in o["spec"]!["rules"]!.AsArray().SelectMany(r => r!["matches"]!.AsArray()))
                    if (m!["path"]!["value"]!.GetValue<string>() == "/orders") m["path"] = new JsonObject { ["type"] = "RegularExpression", ["value"] = "/orders.*" };
            if (o["kind"]!.GetValue<string>() == "AuthorizationPolicy" && o["apiVersion"]!.GetValue<string>().StartsWith("security.istio.io/", StringComparison.Ordinal))
                foreach (var op in (o["spec"]!["rules"] as JsonArray ?? []).SelectMany(r => r!["to"] as JsonArray ?? []).Select(t => t!["operation"]!))
                    if (op["paths"] is JsonArray paths && paths.Select(p => p!.GetValue<string>()).Contains("/orders/*")) op["paths"] = new JsonArray("/orders*");
        }
        var labels = cluster.PodLabels("api-gateway")!;
        var request = new InboundRequest(cluster.Identity("ecommerce", "frontend"), "GET", "/ordersX", "https://auth.example.com//alice", new Dictionary<string, string> { ["role"] = "user" });
        Assert.False(cluster.Allows(request.Principal, "api-gateway", "GET", "/ordersX"));
        var faulty = cluster.IsIstio ? new IstioAuthorizer(objects).Allows("ecommerce", labels, request) : new LinkerdAuthorizer(objects).Allows("ecommerce", labels, "http", request);
        Assert.True(faulty);
    }

    /// <summary>
    /// Seeded fault: order's <c>/orders/</c> route as a PathPrefix would also match <c>GET /orders</c> at the same
    /// length as list-orders' exact match (linkerd2-proxy match/path.rs 41-51, match.rs 96-104), so which route's
    /// callers decide depends on creation time; the Flagger load tester, granted only list-orders, could be refused.
    /// </summary>
    [Fact]
    public void The_check_catches_a_children_only_prefix_that_ties_with_its_parents_route()
    {
        var cluster = DeployedCluster.Of("stack:canary")[0];
        const string loadTester = "flagger-loadtester.flagger-system.serviceaccount.identity.linkerd.cluster.local";
        Assert.True(cluster.Allows(loadTester, "order", "GET", "/orders"));
        var objects = cluster.Objects.Select(o => (JsonObject)o.DeepClone()).ToList();
        foreach (var m in objects.Where(o => o["kind"]!.GetValue<string>() == "HTTPRoute" && DeployedCluster.NameOf(o) == "order-inbound-get-order")
                     .SelectMany(o => o["spec"]!["rules"]!.AsArray().SelectMany(r => r!["matches"]!.AsArray())))
            m!["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/orders/" };
        Assert.Throws<NotSupportedException>(() => cluster.With(objects).Allows(loadTester, "order", "GET", "/orders"));
    }
}
