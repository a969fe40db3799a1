using System.Text.Json.Nodes;
using MeshStack.Analysis.Simulation;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Security;

/// <summary>
/// The ingress is authorized on a service exactly when an edge host routes to it: a grant without a route is an
/// entry point nobody can use (and a standing permission for whatever later routes there), a route without a grant
/// is a host that answers 403. Judged on the rendered objects: the ingress's identity against each service's policy,
/// and the edge routes (Istio: VirtualServices bound to the edge Gateway, or Flagger's Canary for a delivered service;
/// Linkerd: Traefik's Ingress objects).
/// </summary>
public class EdgeGrantTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    /// <summary>A request on the service's first route.</summary>
    private static (string Method, string Path) Sample(AppService s)
    {
        var route = s.Routes.First(r => r.Path.Kind != PathMatchKind.Regex);
        return (route.Method, route.Path.Value);
    }

    /// <summary>The services that the edge objects of a cluster route some host to.</summary>
    private static HashSet<string> EdgeRouted(DeployedCluster cluster)
    {
        var routed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vs in cluster.OfKind("VirtualService").Where(v => (v["spec"]!["gateways"] as JsonArray ?? []).Any(g => g!.GetValue<string>() == "edge")))
            foreach (var d in vs["spec"]!["http"]!.AsArray().SelectMany(h => h!["route"]!.AsArray()))
                routed.Add(d!["destination"]!["host"]!.GetValue<string>().Split('.')[0]);
        foreach (var canary in cluster.OfKind("Canary").Where(c => (c["spec"]!["service"]!["gateways"] as JsonArray ?? []).Any(g => g!.GetValue<string>().EndsWith("/edge", StringComparison.Ordinal))))
            routed.Add(canary["spec"]!["targetRef"]!["name"]!.GetValue<string>());
        foreach (var ingress in cluster.OfKind("Ingress"))
            foreach (var path in ingress["spec"]!["rules"]!.AsArray().SelectMany(r => r!["http"]!["paths"]!.AsArray()))
                routed.Add(path!["backend"]!["service"]!["name"]!.GetValue<string>());
        return routed;
    }

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void The_ingress_is_granted_exactly_the_services_an_edge_host_routes_to(string corpus)
    {
        foreach (var cluster in DeployedCluster.Of(corpus))
        {
            var configured = cluster.Config.Traffic.Edge.Select(e => e.Service).ToHashSet(StringComparer.Ordinal);
            var routed = EdgeRouted(cluster);
            Assert.True(configured.SetEquals(routed), $"{cluster}: edge config names [{string.Join(", ", configured)}], edge objects route to [{string.Join(", ", routed)}]");
            foreach (var service in Topology.Services.Where(s => cluster.PodLabels(s.Name) is not null))
            {
                var (method, path) = Sample(service);
                // Linkerd permissive admits any client on declared routes (PermissiveMtlsTests): there, what counts is whom the policies name
                var granted = !cluster.IsIstio && cluster.Config.Mtls == MeshStack.Config.MtlsMode.Permissive
                    ? cluster.OfKind("MeshTLSAuthentication").Any(m => DeployedCluster.NameOf(m).StartsWith($"{service.Name}-inbound-", StringComparison.Ordinal)
                        && m["spec"]!["identities"]!.AsArray().Any(i => i!.GetValue<string>() == cluster.IngressIdentity))
                    : cluster.Allows(cluster.IngressIdentity, service.Name, method, path);
                Assert.True(granted == routed.Contains(service.Name),
                    $"{cluster}: the ingress is {(granted ? "" : "not ")}admitted to {service.Name} ({method} {path}), which {(routed.Contains(service.Name) ? "an" : "no")} edge host routes to");
            }
            // a Linkerd stack without an edge has no Traefik, so no policy may name its identity
            if (!cluster.IsIstio && routed.Count == 0)
                Assert.DoesNotContain(cluster.Objects, o => o.ToJsonString().Contains(cluster.IngressIdentity, StringComparison.Ordinal));
        }
    }

    /// <summary>Seeded fault: a grant for a service no host routes to (what every public service got before) is caught.</summary>
    [Fact]
    public void The_check_catches_an_ingress_grant_without_an_edge_route()
    {
        var cluster = DeployedCluster.Of("generated:istio-1-cluster")[0];
        Assert.DoesNotContain("order", EdgeRouted(cluster));
        Assert.False(cluster.Allows(cluster.IngressIdentity, "order", "GET", "/orders"));
        var objects = cluster.Objects.Select(o => (JsonObject)o.DeepClone()).ToList();
        objects.Add(JsonNode.Parse("""
            {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": {"name": "order-ingress", "namespace": "ecommerce"},
             "spec": {"selector": {"matchLabels": {"app": "order"}}, "action": "ALLOW",
                      "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/istio-ingress/sa/istio-ingress"]}}]}]}}
            """)!.AsObject());
        Assert.True(cluster.With(objects).Allows(cluster.IngressIdentity, "order", "GET", "/orders"));
    }
}
