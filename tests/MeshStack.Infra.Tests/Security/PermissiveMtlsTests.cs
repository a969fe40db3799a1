using System.Text.RegularExpressions;
using MeshStack.Analysis.Simulation;
using MeshStack.Config;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Security;

/// <summary>
/// Linkerd's <c>mtls: permissive</c> is for namespaces whose clients are still being meshed: a client without a mesh
/// identity reaches every declared route, while paths no route declares stay denied. Strict admits only the
/// declared callers' identities. Judged by <see cref="LinkerdAuthorizer"/>, which appends a Server's own
/// authorizations (its accessPolicy) to every route as the proxy does. (Istio's PERMISSIVE only accepts plaintext at
/// the mTLS layer: its ALLOW policies match the peer certificate's principal, which a plaintext client lacks, istio 1.31
/// pilot/pkg/security/authz/model/generator.go 250-253, so unmeshed callers stay denied there; AuthorizationMatrixTests.)
/// </summary>
public partial class PermissiveMtlsTests
{
    [GeneratedRegex(@"mesh-stack:mtls: \w+")]
    private static partial Regex MtlsKey();

    public static TheoryData<string, string> LinkerdStacksAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in StackCorpus.All.Select(e => e.Name).Where(n => n.StartsWith("generated:linkerd-", StringComparison.Ordinal)))
            foreach (var mode in new[] { "strict", "permissive" })
                data.Add(name, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(LinkerdStacksAndModes))]
    public void An_unmeshed_client_reaches_app_routes_under_permissive_and_is_denied_under_strict(string corpus, string mode)
    {
        var permissive = mode == "permissive";
        foreach (var cluster in DeployedCluster.Variant(corpus, mode, yaml => MtlsKey().Replace(yaml, $"mesh-stack:mtls: {mode}")))
        {
            Assert.Equal(permissive ? MtlsMode.Permissive : MtlsMode.Strict, cluster.Config.Mtls);
            foreach (var (service, method, path) in new[]
            {
                ("api-gateway", "GET", "/orders/42"), ("order", "POST", "/orders"), ("payment", "POST", "/payments"),
                // declared, though no service of the app calls it: an unmeshed client may
                ("inventory", "POST", "/inventory/reservations"), ("payment", "GET", "/payments/p-1"),
            })
            {
                if (cluster.PodLabels(service) is null) continue;
                Assert.True(permissive == cluster.Allows(null, service, method, path),
                    $"{cluster} ({mode}): unmeshed {method} {path} on {service} must be {(permissive ? "admitted" : "denied")}");
            }
            foreach (var service in new[] { "order", "payment" }.Where(s => cluster.PodLabels(s) is not null))
            {
                // no route declares these: denied in both modes
                Assert.False(cluster.Allows(null, service, "GET", "/admin/secrets"), $"{cluster}: undeclared path on {service}");
                Assert.False(cluster.Allows(null, service, "DELETE", "/orders"), $"{cluster}: undeclared method on {service}");
            }
            // the declared callers are admitted either way
            if (cluster.PodLabels("payment") is not null)
                Assert.True(cluster.Allows(cluster.Identity("ecommerce", "order"), "payment", "POST", "/payments"), $"{cluster}: order -> payment");
        }
    }

    /// <summary>Seeded fault: a permissive render whose Servers deny (today's render) fails the same expectation.</summary>
    [Fact]
    public void The_check_catches_permissive_servers_that_deny()
    {
        var cluster = DeployedCluster.Variant("generated:linkerd-1-cluster", "permissive", yaml => MtlsKey().Replace(yaml, "mesh-stack:mtls: permissive"))[0];
        var objects = cluster.Objects.Select(o => (System.Text.Json.Nodes.JsonObject)o.DeepClone()).ToList();
        foreach (var server in objects.Where(o => o["kind"]!.GetValue<string>() == "Server" && o["spec"]!["accessPolicy"]!.GetValue<string>() == "all-unauthenticated"))
            server["spec"]!["accessPolicy"] = "deny";
        var request = new InboundRequest(null, "POST", "/payments");
        Assert.True(cluster.Allows(null, "payment", "POST", "/payments"));
        Assert.False(new LinkerdAuthorizer(objects).Allows("ecommerce", cluster.PodLabels("payment")!, "http", request));
    }
}
