using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Security;

/// <summary>mTLS per namespace and the JWT config, as rendered for each mesh; bad security config exits 2 with its key path.</summary>
public class MtlsAndJwtTests
{
    private const string Istio = """
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: east
              context: ctx-east
        """;

    private static List<JsonObject> Manifests(string yaml, string stack = "test") =>
        Stacks.FromYaml(yaml, stack).Emit().Manifests.Select(m => m.Parse()).ToList();

    private static IEnumerable<JsonObject> Kind(IEnumerable<JsonObject> objects, string kind) => objects.Where(o => o["kind"]!.GetValue<string>() == kind);

    private static string? Mode(IEnumerable<JsonObject> objects, string ns) =>
        Kind(objects, "PeerAuthentication").SingleOrDefault(p => p["metadata"]!["namespace"]!.GetValue<string>() == ns)?["spec"]!["mtls"]!["mode"]!.GetValue<string>();

    private static string? InboundPolicy(IEnumerable<JsonObject> objects, string ns) =>
        Kind(objects, "Namespace").Single(n => n["metadata"]!["name"]!.GetValue<string>() == ns)["metadata"]!["annotations"]?["config.linkerd.io/default-inbound-policy"]?.GetValue<string>();

    [Fact]
    public void Istio_renders_the_mesh_wide_mode_in_the_root_namespace_and_overrides_per_namespace()
    {
        var strict = Manifests(Istio + "\n  mesh-stack:mtls: strict\n");
        Assert.Equal("STRICT", Mode(strict, "istio-system"));
        Assert.Null(Mode(strict, "ecommerce"));

        var migrating = Manifests(Istio + "\n  mesh-stack:mtls: strict\n  mesh-stack:mtlsOverrides:\n    ecommerce: permissive\n");
        Assert.Equal("STRICT", Mode(migrating, "istio-system"));
        Assert.Equal("PERMISSIVE", Mode(migrating, "ecommerce"));

        var reverse = Manifests(Istio + "\n  mesh-stack:mtls: permissive\n  mesh-stack:mtlsOverrides:\n    ecommerce: strict\n");
        Assert.Equal("PERMISSIVE", Mode(reverse, "istio-system"));
        Assert.Equal("STRICT", Mode(reverse, "ecommerce"));
    }

    [Fact]
    public void Linkerd_sets_the_default_inbound_policy_per_namespace_from_the_mode()
    {
        var linkerd = Istio.Replace("mesh: istio", "mesh: linkerd");
        Assert.Equal("all-authenticated", InboundPolicy(Manifests(linkerd + "\n  mesh-stack:mtls: strict\n"), "ecommerce"));
        Assert.Equal("all-unauthenticated", InboundPolicy(Manifests(linkerd + "\n  mesh-stack:mtls: permissive\n"), "ecommerce"));
        var migrating = Manifests(linkerd + "\n  mesh-stack:mtls: permissive\n  mesh-stack:mtlsOverrides:\n    ecommerce: strict\n");
        Assert.Equal("all-authenticated", InboundPolicy(migrating, "ecommerce"));
        Assert.Empty(Kind(migrating, "PeerAuthentication"));
    }

    [Fact]
    public void Dev_is_permissive_and_prod_strict_as_their_stack_files_say()
    {
        var dev = Stacks.Emit("dev").Manifests.Select(m => m.Parse()).ToList();
        Assert.Equal("all-unauthenticated", InboundPolicy(dev, "ecommerce"));
        var prod = Stacks.Emit("prod").Manifests.Select(m => m.Parse()).ToList();
        Assert.Equal(["STRICT", "STRICT"], Kind(prod, "PeerAuthentication").Select(p => p["spec"]!["mtls"]!["mode"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void The_services_that_act_on_the_callers_identity_check_tokens_themselves_on_both_meshes(string mesh)
    {
        // the gateway (sign-in routes) and order (the customer is the token's subject) do not rely on the mesh alone
        var graph = Stacks.Graph("prod", mesh);
        var env = (string name) => graph[$"east-{name}-deployment"].As<k8s.Models.V1Deployment>().Spec.Template.Spec.Containers[0].Env
            .Where(e => e.Name.StartsWith("Jwt__", StringComparison.Ordinal)).ToDictionary(e => e.Name, e => e.Value);
        foreach (var service in new[] { "api-gateway", "order" })
        {
            var jwt = env(service);
            Assert.Equal("true", jwt["Jwt__Enabled"]);
            Assert.Equal("https://auth.example.com/", jwt["Jwt__Issuer"]);
            Assert.Equal("https://auth.example.com/.well-known/jwks.json", jwt["Jwt__JwksUri"]);
            Assert.Equal("ecommerce-api", jwt["Jwt__Audiences__0"]);
            Assert.Equal(["admin", "user"], [jwt["Jwt__RequiredClaims__role__0"], jwt["Jwt__RequiredClaims__role__1"]]);
        }
        Assert.Empty(env("inventory"));
        Assert.Empty(env("payment"));
        Assert.Empty(env("frontend"));
        // no jwt in the stack: nobody checks tokens
        Assert.DoesNotContain(Stacks.Graph("dev")["dev-api-gateway-deployment"].As<k8s.Models.V1Deployment>().Spec.Template.Spec.Containers[0].Env,
            e => e.Name.StartsWith("Jwt__", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> BadSecurityConfig => new()
    {
        { "override mode typo", Istio + "\n  mesh-stack:mtlsOverrides:\n    ecommerce: permisive\n", "mesh-stack:mtlsOverrides.ecommerce: \"permisive\" is not one of strict, permissive" },
        { "override of a namespace the stack does not create", Istio + "\n  mesh-stack:mtlsOverrides:\n    payments: strict\n", "mesh-stack:mtlsOverrides.payments: cluster 'east' has no namespace 'payments'" },
        { "override of the istio root namespace", Istio + "\n  mesh-stack:mtlsOverrides:\n    istio-system: permissive\n", "mesh-stack:mtlsOverrides.istio-system: istio-system is the mesh's root namespace" },
        { "jwt without jwksUri", Istio + "\n  mesh-stack:jwt:\n    issuer: https://a/\n    audiences: [x]\n", "mesh-stack:jwt.jwksUri: required" },
        { "jwt jwksUri not https", Istio + "\n  mesh-stack:jwt:\n    issuer: https://a/\n    jwksUri: http://a/keys\n    audiences: [x]\n", "mesh-stack:jwt.jwksUri: \"http://a/keys\" must match an https:// URL" },
        { "jwt claim without values", Istio + "\n  mesh-stack:jwt:\n    issuer: https://a/\n    jwksUri: https://a/k\n    audiences: [x]\n    requiredClaims:\n      role: []\n", "mesh-stack:jwt.requiredClaims.role: must list at least one accepted value" },
        { "jwt key typo", Istio + "\n  mesh-stack:jwt:\n    issuer: https://a/\n    jwksUri: https://a/k\n    audience: [x]\n", "mesh-stack:jwt.audience: unknown key; did you mean mesh-stack:jwt.audiences?" },
        { "unknown policy rule", Istio + "\n  mesh-stack:policy:\n    warn: [image-no-lates]\n", "mesh-stack:policy.warn[0]: \"image-no-lates\" is not a policy rule (did you mean \"image-no-latest\"?)" },
    };

    [Theory]
    [MemberData(nameof(BadSecurityConfig))]
    public void Bad_security_config_exits_2_naming_the_key_and_writes_nothing(string why, string yaml, string expected)
    {
        Rejection.AssertRenderRejects(why, yaml, expected);
    }
}
