using MeshStack.Analysis.Simulation;
using System.Text.Json.Nodes;
using MeshStack.Output;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Security;

/// <summary>
/// For every pair of callers (each service, the ingress, an unknown meshed principal, an unmeshed client) and
/// callees, every method and every path the topology knows: the RENDERED policies allow the request if and only
/// if the topology declares that edge with that method and path. The expectation comes from the topology, the
/// decision from evaluating the emitted manifests with each mesh's semantics.
/// </summary>
public class AuthorizationMatrixTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();
    private static readonly string[] Methods = ["GET", "POST", "DELETE"];

    private sealed record Caller(string Name, string? Namespace, string? ServiceAccount);

    private static IEnumerable<Caller> Callers(string mesh) =>
        Topology.Services.Select(s => new Caller(s.Name, Topology.Namespace, s.ServiceAccount))
            .Append(mesh == "istio" ? new Caller("ingress", "istio-ingress", "istio-ingress") : new Caller("ingress", "edge", "traefik"))
            .Append(new Caller("intruder", "default", "intruder"))
            .Append(new Caller("unmeshed", null, null));

    private static string? Identity(string mesh, Caller c) => c.ServiceAccount is null ? null
        : mesh == "istio" ? $"cluster.local/ns/{c.Namespace}/sa/{c.ServiceAccount}"
        : $"{c.ServiceAccount}.{c.Namespace}.serviceaccount.identity.linkerd.cluster.local";

    /// <summary>Concrete request paths that exercise every route of the callee, its probes and one undeclared path.</summary>
    internal static IEnumerable<string> SamplePaths(AppService s) => s.Routes.SelectMany(r => r.Path.Kind switch
        {
            PathMatchKind.Exact => [r.Path.Value],
            // the bare parent path, a child, and siblings that only share the characters
            PathMatchKind.Prefix => new[] { r.Path.Value, r.Path.Value.TrimEnd('/'), r.Path.Value.TrimEnd('/') + "/42", r.Path.Value + "x", r.Path.Value.TrimEnd('/') + "-admin" },
            _ => [r.Path.Value.Replace("[^/]+", "r-7", StringComparison.Ordinal)],
        })
        .Where(p => p.StartsWith('/'))
        .Append(s.LivenessPath).Append(s.ReadinessPath).Append("/admin/secrets").Distinct();

    private static bool Declared(Caller caller, AppService callee, string method, string path, bool linkerdPermissive, IReadOnlyCollection<string> exposed)
    {
        // Linkerd permissive: every declared route of the callee admits any client, meshed or not (PermissiveMtlsTests)
        if (linkerdPermissive) return callee.Routes.Any(r => r.Method == method && r.Path.Matches(path));
        IEnumerable<ApiRoute> routes = caller.Name == "ingress"
            ? exposed.Contains(callee.Name) ? callee.Routes : []
            : Topology.Calls.Where(c => c.From.Name == caller.Name && c.To.Name == callee.Name).SelectMany(c => c.Routes);
        return routes.Any(r => r.Method == method && r.Path.Matches(path));
    }

    private static IReadOnlyList<JsonObject> Manifests(string stack, string mesh, string cluster) =>
        StackEmitter.Emit(Stacks.Graph(stack, mesh), []).Manifests.Where(m => m.Cluster == cluster).Select(m => m.Parse()).ToList();

    private static Dictionary<string, string> PodLabels(string cluster, IReadOnlyList<JsonObject> manifests, AppService s)
    {
        var deployment = manifests.Single(o => o["kind"]!.GetValue<string>() == "Deployment" && o["metadata"]!["name"]!.GetValue<string>() == s.Name);
        return deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Rendered_policies_allow_exactly_the_declared_edges(string stack, string mesh)
    {
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            var manifests = Manifests(stack, mesh, cluster);
            AssertDeclaredEdgesOnly($"{stack}/{mesh}/{cluster}", mesh, manifests, s => [PodLabels(cluster, manifests, s)],
                linkerdPermissive: mesh == "linkerd" && Stacks.Config(stack).Mtls == MeshStack.Config.MtlsMode.Permissive,
                exposed: [.. Stacks.Config(stack).Traffic.Edge.Select(e => e.Service)]);
        }
    }

    /// <summary>
    /// With an automated canary, order's traffic is served by pods Flagger makes: order-primary's, whose pod
    /// template is order's with the selector label rewritten (app: order-primary; Flagger's makePrimaryLabels), and,
    /// during an analysis, order's own. Both pod sets must admit exactly the declared calls.
    /// </summary>
    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void Flaggers_primary_and_canary_pods_allow_exactly_the_declared_edges(string mesh)
    {
        var manifests = StackEmitter.Emit(Stacks.Graph("canary", mesh), []).Manifests.Where(m => m.Cluster == "canary").Select(m => m.Parse()).ToList();
        AssertDeclaredEdgesOnly($"canary/{mesh}", mesh, manifests, s =>
        {
            var labels = PodLabels("canary", manifests, s);
            if (s.Name != "order") return [labels];
            var primary = new Dictionary<string, string>(labels) { ["app"] = "order-primary" };
            return [labels, primary];
        });
    }

    private static void AssertDeclaredEdgesOnly(string where, string mesh, IReadOnlyList<JsonObject> manifests, Func<AppService, IEnumerable<Dictionary<string, string>>> podSets,
        bool linkerdPermissive = false, IReadOnlyCollection<string>? exposed = null)
    {
        var istio = new IstioAuthorizer(manifests);
        var linkerd = new LinkerdAuthorizer(manifests);
        var wrong = new List<string>();
        var (allowed, denied) = (0, 0);
        foreach (var callee in Topology.Services)
        foreach (var labels in podSets(callee))
        {
            foreach (var caller in Callers(mesh))
            foreach (var method in Methods)
            foreach (var path in SamplePaths(callee))
            {
                // a valid end-user token with an accepted role: this matrix is about service identities (JWT has its own tests)
                var request = new InboundRequest(Identity(mesh, caller), method, path, "https://auth.example.com//alice",
                    new Dictionary<string, string> { ["role"] = "user" });
                var decision = mesh == "istio"
                    ? istio.Allows(Topology.Namespace, labels, request)
                    : linkerd.Allows(Topology.Namespace, labels, "http", request);
                var expected = Declared(caller, callee, method, path, linkerdPermissive, exposed ?? [])
                    // Linkerd: the kubelet has no identity, so probe paths are open to the network (Istio's sidecar answers probes itself)
                    || (mesh == "linkerd" && method == "GET" && (path == callee.LivenessPath || path == callee.ReadinessPath));
                if (decision != expected) wrong.Add($"{caller.Name} -> {callee.Name} (app: {labels["app"]}) {method} {path}: rendered {(decision ? "allows" : "denies")}, topology says {(expected ? "allow" : "deny")}");
                if (decision) allowed++; else denied++;
            }
        }
        Assert.True(wrong.Count == 0, $"{where}:\n" + string.Join("\n", wrong));
        // the matrix really exercised both outcomes
        Assert.True(allowed > 20 && denied > 300, $"allowed {allowed}, denied {denied}");
    }

    [Fact]
    public void Linkerd_lets_only_viz_prometheus_scrape_proxy_metrics_and_anyone_probe_the_proxy()
    {
        var manifests = Manifests("dev", "linkerd", "dev");
        var linkerd = new LinkerdAuthorizer(manifests);
        var labels = PodLabels("dev", manifests, Topology.Service("order"));
        const string prometheus = "prometheus.linkerd-viz.serviceaccount.identity.linkerd.cluster.local";
        Assert.True(linkerd.Allows("ecommerce", labels, "linkerd-admin", new InboundRequest(prometheus, "GET", "/metrics")));
        Assert.False(linkerd.Allows("ecommerce", labels, "linkerd-admin", new InboundRequest("api-gateway.ecommerce.serviceaccount.identity.linkerd.cluster.local", "GET", "/metrics")));
        Assert.False(linkerd.Allows("ecommerce", labels, "linkerd-admin", new InboundRequest(prometheus, "GET", "/shutdown")));
        Assert.True(linkerd.Allows("ecommerce", labels, "linkerd-admin", new InboundRequest(null, "GET", "/ready")));
        // Prometheus has no business on the app port (dev is permissive, where any client reaches declared routes: strict here)
        var strict = Manifests("prod", "linkerd", "east");
        Assert.False(new LinkerdAuthorizer(strict).Allows("ecommerce", PodLabels("east", strict, Topology.Service("order")), "http", new InboundRequest(prometheus, "GET", "/orders")));
    }

    [Fact]
    public void Istio_requires_a_valid_token_with_an_accepted_role_for_orders_at_the_api_gateway()
    {
        var manifests = Manifests("prod", "istio", "east");
        var istio = new IstioAuthorizer(manifests);
        var labels = PodLabels("east", manifests, Topology.Service("api-gateway"));
        const string ingress = "cluster.local/ns/istio-ingress/sa/istio-ingress";
        const string user = "https://auth.example.com//alice";
        InboundRequest Req(string path, string? principal, string? role, string method = "GET") =>
            new(ingress, method, path, principal, role is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["role"] = role });

        Assert.False(istio.Allows("ecommerce", labels, Req("/orders", null, null)));
        Assert.False(istio.Allows("ecommerce", labels, Req("/orders/42", user, "guest")));
        Assert.False(istio.Allows("ecommerce", labels, Req("/orders", user, null, "POST")));
        Assert.True(istio.Allows("ecommerce", labels, Req("/orders", user, "user", "POST")));
        Assert.True(istio.Allows("ecommerce", labels, Req("/orders/42", user, "admin")));
        // only /orders* needs a token
        Assert.True(istio.Allows("ecommerce", labels, Req("/inventory", null, null)));

        var authn = manifests.Where(o => o["kind"]!.GetValue<string>() == "RequestAuthentication").ToList();
        Assert.Equal(["istio-ingress", "ecommerce"], authn.Select(a => a["metadata"]!["namespace"]!.GetValue<string>()));
        Assert.All(authn, a =>
        {
            var rule = a["spec"]!["jwtRules"]![0]!;
            Assert.Equal("https://auth.example.com/", rule["issuer"]!.GetValue<string>());
            Assert.Equal("https://auth.example.com/.well-known/jwks.json", rule["jwksUri"]!.GetValue<string>());
            Assert.Equal("ecommerce-api", rule["audiences"]![0]!.GetValue<string>());
        });
    }
}
