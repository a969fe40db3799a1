using MeshStack.Tests.Support;

namespace MeshStack.Tests.Security;

/// <summary>
/// The edge carries bearer tokens, so it speaks HTTPS: every edge host is served with the certificate of the Secret
/// named in <c>mesh-stack:edgeTls</c>, read where the edge proxy reads it (Istio: the gateway's namespace; Traefik:
/// the Ingress's), and a plain HTTP request is redirected to HTTPS, never routed to a service.
/// </summary>
public class EdgeHttpsTests
{
    /// <summary>A corpus stack, and the same stack with its certificate Secret named.</summary>
    public static TheoryData<string, string?> StacksAndSecrets()
    {
        var data = new TheoryData<string, string?>();
        foreach (var name in StackCorpus.All.Select(e => e.Name))
        {
            data.Add(name, null);
            if (name.StartsWith("generated:", StringComparison.Ordinal)) data.Add(name, "shop-cert");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StacksAndSecrets))]
    public void Every_edge_host_is_served_over_https_with_the_named_certificate_and_http_is_redirected(string corpus, string? secret)
    {
        var clusters = secret is null ? DeployedCluster.Of(corpus)
            : DeployedCluster.Variant(corpus, $"edge-tls-{secret}", yaml => yaml + $"  mesh-stack:edgeTls:\n    secretName: {secret}\n");
        foreach (var cluster in clusters)
        {
            var expected = new EdgeCertificate(cluster.IsIstio ? "istio-ingress" : "ecommerce", secret ?? "edge-tls");
            foreach (var edge in cluster.Config.Traffic.Edge)
            {
                Assert.Equal(expected, EdgeRequest.Certificate(cluster, edge.Host));
                Assert.True(EdgeRequest.RedirectsHttp(cluster, edge.Host), $"{cluster}: http://{edge.Host} must redirect to https");
            }
        }
    }

    /// <summary>Seeded fault: a plain-HTTP edge (the render before) has no certificate and routes HTTP.</summary>
    [Theory]
    [InlineData("generated:istio-1-cluster")]
    [InlineData("generated:linkerd-1-cluster")]
    public void The_check_catches_a_plain_http_edge(string corpus)
    {
        var cluster = DeployedCluster.Of(corpus)[0];
        var objects = cluster.Objects.Select(o => (System.Text.Json.Nodes.JsonObject)o.DeepClone()).ToList();
        foreach (var o in objects)
        {
            if (o["kind"]!.GetValue<string>() == "Gateway")
                foreach (var server in o["spec"]!["servers"]!.AsArray()) server!.AsObject().Remove("tls");
            if (o["kind"]!.GetValue<string>() == "Ingress")
            {
                o["spec"]!.AsObject().Remove("tls");
                o["metadata"]!.AsObject().Remove("annotations");
            }
        }
        var faulty = cluster.With(objects);
        Assert.Null(EdgeRequest.Certificate(faulty, "shop.gen.example.com"));
        Assert.False(EdgeRequest.RedirectsHttp(faulty, "shop.gen.example.com"));
    }
}
