using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Security.Istio.V1;
using MeshStack.Graph;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Meshes;
using MeshStack.Security;
using MeshStack.Security.Policy;
using MeshStack.Synthesis;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Security;

/// <summary>Each policy-pack rule fires on a stack that breaks it and stays quiet on dev and prod (either mesh).</summary>
public class PolicyPackTests
{
    private const string Stack = """
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: east
              context: ctx-east
          mesh-stack:mtls: strict
          mesh-stack:replicas: 2
        """;

    /// <summary>A component that adds something unsafe after the stack is built, as a careless change would.</summary>
    private sealed class Extra(Action<ClusterBuild> build) : IStackComponent
    {
        public void Build(ClusterBuild b) => build(b);
    }

    private static PolicyReport Run(StackConfig config, IStackComponent? extra = null, AppTopology? checkedTopology = null)
    {
        var graph = new ResourceGraph();
        var mesh = MeshCatalog.Create(config.Mesh);
        var topology = config.App;
        List<IStackComponent> components = [new SecurityComponent(config)];
        if (extra is not null) components.Add(extra);
        StackSynthesizer.Synthesize(config, graph, mesh, components);
        return PolicyPack.Run(PolicyContext.From(config, checkedTopology ?? topology, graph), config.Policy);
    }

    private static List<string> Fired(PolicyReport report) => report.Errors.Select(f => f.RuleId).Distinct().Order().ToList();

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Quiet_on_dev_and_prod(string stack, string mesh)
    {
        var text = Stacks.WithMesh(File.ReadAllText(Repo.StackFile(stack)), mesh);
        var config = StackConfigBinder.Bind(stack, Stacks.FromYaml(text, stack).Raw, EcommerceApp.Declare());
        // the whole stack, every component: what program and render check
        var graph = StackSynthesizer.Synthesize(config);
        var report = PolicyPack.Run(PolicyContext.From(config, EcommerceApp.Declare(), graph), config.Policy);
        Assert.Empty(report.Errors);
        Assert.Empty(report.Warnings);
    }

    [Theory]
    [InlineData("istio", "mesh-stack:mtls: permissive")]
    [InlineData("istio", "mesh-stack:mtls: strict\n  mesh-stack:mtlsOverrides:\n    ecommerce: permissive")]
    [InlineData("linkerd", "mesh-stack:mtls: permissive")]
    [InlineData("linkerd", "mesh-stack:mtls: strict\n  mesh-stack:mtlsOverrides:\n    ecommerce: permissive")]
    public void Prod_strict_mtls_fires_on_a_permissive_prod_stack_only(string mesh, string mtls)
    {
        var yaml = Stack.Replace("mesh-stack:mtls: strict", mtls).Replace("mesh: istio", $"mesh: {mesh}");
        var prod = StackConfigBinder.Bind("prod", Stacks.FromYaml(yaml, "prod").Raw, EcommerceApp.Declare());
        var report = Run(prod);
        Assert.Equal(["prod-strict-mtls"], Fired(report));
        Assert.Contains(report.Errors, f => f.Resource.Contains("ecommerce", StringComparison.Ordinal) || f.Resource.Contains("istio-system", StringComparison.Ordinal));
        // the same config is fine for a stack that is not prod
        Assert.Empty(Run(StackConfigBinder.Bind("staging", Stacks.FromYaml(yaml, "staging").Raw, EcommerceApp.Declare())).Errors);
    }

    [Fact]
    public void No_wildcard_principals_fires_on_a_star_principal_and_on_a_rule_without_source()
    {
        var config = Stacks.ConfigFromYaml(Stack);
        var report = Run(config, new Extra(b => b.Scope.CustomResources("sloppy", new List<object>
        {
            new AuthorizationPolicy
            {
                Metadata = new V1ObjectMeta { Name = "anyone", NamespaceProperty = "ecommerce" },
                Spec = new AuthorizationPolicySpec
                {
                    Rules = [new AuthorizationPolicySpecRules { From = [new AuthorizationPolicySpecRulesFrom { Source = new() { Principals = ["cluster.local/ns/ecommerce/sa/*"] } }] }],
                },
            },
            new AuthorizationPolicy
            {
                Metadata = new V1ObjectMeta { Name = "no-source", NamespaceProperty = "ecommerce" },
                Spec = new AuthorizationPolicySpec { Rules = [new AuthorizationPolicySpecRules { To = [new() { Operation = new() { Paths = ["/admin*"] } }] }] },
            },
        }, b.Install.Crds)));
        Assert.Equal(["no-wildcard-principals"], Fired(report));
        Assert.Contains(report.Errors, f => f.Resource.Contains("anyone", StringComparison.Ordinal) && f.Message.Contains("cluster.local/ns/ecommerce/sa/*", StringComparison.Ordinal));
        Assert.Contains(report.Errors, f => f.Resource.Contains("no-source", StringComparison.Ordinal));
    }

    /// <summary>
    /// An app Server open to unauthenticated clients is what permissive means on Linkerd, and only there: a strict
    /// namespace with one (or one open with audit) is refused.
    /// </summary>
    [Theory]
    [InlineData("strict", "all-unauthenticated", true)]
    [InlineData("strict", "audit", true)]
    [InlineData("permissive", "audit", true)]
    [InlineData("permissive", "all-unauthenticated", false)]
    public void No_wildcard_principals_allows_an_open_linkerd_server_only_in_a_permissive_namespace(string mode, string access, bool fires)
    {
        var config = Stacks.ConfigFromYaml(Stack.Replace("mesh: istio", "mesh: linkerd").Replace("mtls: strict", $"mtls: {mode}"));
        var report = Run(config, new Extra(b => b.Scope.CustomResources("open", new List<object>
        {
            new MeshStack.Crds.Policy.Linkerd.V1beta3.Server
            {
                Metadata = new V1ObjectMeta { Name = "open-http", NamespaceProperty = "ecommerce" },
                Spec = new()
                {
                    PodSelector = new() { MatchLabels = new System.Text.Json.Nodes.JsonObject { ["app"] = "order" } },
                    Port = new MeshStack.Crds.IntOrString("metrics"),
                    AccessPolicy = access,
                },
            },
        }, b.Install.Crds)));
        Assert.Equal(fires, report.Errors.Any(f => f.RuleId == "no-wildcard-principals" && f.Resource.Contains("open-http", StringComparison.Ordinal)));
    }

    [Fact]
    public void No_wildcard_principals_fires_on_a_linkerd_wildcard_identity_and_network_access_beyond_probes()
    {
        var config = Stacks.ConfigFromYaml(Stack.Replace("mesh: istio", "mesh: linkerd"));
        var report = Run(config, new Extra(b => b.Scope.CustomResources("sloppy", new List<object>
        {
            new MeshStack.Crds.Policy.Linkerd.V1alpha1.MeshTLSAuthentication
            {
                Metadata = new V1ObjectMeta { Name = "everyone", NamespaceProperty = "ecommerce" },
                Spec = new() { Identities = ["*.ecommerce.serviceaccount.identity.linkerd.cluster.local"] },
            },
            new MeshStack.Crds.Policy.Linkerd.V1alpha1.AuthorizationPolicy
            {
                Metadata = new V1ObjectMeta { Name = "open-orders", NamespaceProperty = "ecommerce" },
                Spec = new()
                {
                    TargetRef = new() { Group = "policy.linkerd.io", Kind = "HTTPRoute", Name = "order-inbound-list-orders" },
                    RequiredAuthenticationRefs = [new() { Group = "policy.linkerd.io", Kind = "NetworkAuthentication", Name = LinkerdSecurityRenderer.ProbeNetworks }],
                },
            },
        }, b.Install.Crds)));
        Assert.Equal(["no-wildcard-principals"], Fired(report));
        Assert.Contains(report.Errors, f => f.Resource.Contains("everyone", StringComparison.Ordinal));
        Assert.Contains(report.Errors, f => f.Resource.Contains("open-orders", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void Edges_authorized_fires_when_the_topology_declares_a_call_the_policies_do_not_grant(string mesh)
    {
        var config = Stacks.ConfigFromYaml(Stack.Replace("mesh: istio", $"mesh: {mesh}"));
        var t = EcommerceApp.Declare();
        var extended = t with { Calls = [.. t.Calls, new ServiceCall(t.Service("frontend"), t.Service("payment"), [t.Service("payment").Route("get-payment")])] };
        var report = Run(config, checkedTopology: extended);
        Assert.Equal(["edges-authorized"], Fired(report));
        var finding = Assert.Single(report.Errors);
        Assert.Contains("frontend -> payment", finding.Resource, StringComparison.Ordinal);
        Assert.Contains("GET /payments/*", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edges_authorized_fires_when_the_namespace_does_not_deny_by_default()
    {
        // without the security component nothing is authorized and nothing is denied
        var config = Stacks.ConfigFromYaml(Stack);
        var empty = new ResourceGraph();
        var graph = StackSynthesizer.Synthesize(config, empty, new IstioMesh(), []);
        var report = PolicyPack.Run(config, EcommerceApp.Declare(), graph);
        Assert.Contains(report.Errors, f => f.RuleId == "edges-authorized" && f.Message.Contains("allow-nothing", StringComparison.Ordinal));
    }

    /// <summary>One Deployment breaking every workload rule: 2 replicas without a PDB, no resources, root, writable, NET_ADMIN, :latest.</summary>
    private static readonly Extra RogueDeployment = new(b => b.Scope.Add("rogue", new V1Deployment
    {
        Metadata = new V1ObjectMeta { Name = "rogue", NamespaceProperty = "ecommerce" },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "rogue" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "rogue" } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "rogue",
                            Image = "docker.io/acme/rogue:latest",
                            SecurityContext = new V1SecurityContext { Capabilities = new V1Capabilities { Add = ["NET_ADMIN"] } },
                        },
                    ],
                },
            },
        },
    }, b.AppNamespace));

    [Theory]
    [InlineData("workload-resources", "no requests.cpu, requests.memory, limits.cpu, limits.memory")]
    [InlineData("workload-non-root", "may run as root")]
    [InlineData("workload-read-only-root-fs", "writable root filesystem")]
    [InlineData("workload-no-added-capabilities", "adds capabilities NET_ADMIN")]
    [InlineData("image-no-latest", "docker.io/acme/rogue:latest")]
    [InlineData("pdb-when-replicated", "2 replicas and no PodDisruptionBudget")]
    public void Workload_rules_fire_on_a_workload_that_breaks_them(string rule, string message)
    {
        var report = Run(Stacks.ConfigFromYaml(Stack), RogueDeployment);
        var finding = Assert.Single(report.Errors, f => f.RuleId == rule && f.Message.Contains(message, StringComparison.Ordinal));
        Assert.Contains("east-rogue (Deployment ecommerce/rogue)", finding.Resource, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
        // and only on it: the stack's own workloads pass every workload rule
        Assert.DoesNotContain(report.Errors, f => f.Resource.Contains("-deployment", StringComparison.Ordinal));
    }

    private static (string Dir, string File) StackFile(string yaml, string stack = "test")
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(file, yaml);
        return (dir, file);
    }

    [Fact]
    public void A_violation_fails_render_with_exit_4_naming_rule_resource_and_fix_and_writes_nothing()
    {
        var (dir, file) = StackFile(Stack + "\n  mesh-stack:images:\n    registry: ghcr.io/acme\n    tag: latest\n");
        var outDir = Path.Combine(dir, "out");
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        // an error finding of the analysis (the policy pack is part of it): exit 4, one finding per line
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("error image-no-latest east/Deployment/ecommerce/order: container 'order' uses image 'ghcr.io/acme/order:latest'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(fix: pin a version", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_lowered_rule_is_a_warning_in_render_but_still_fails_program()
    {
        var yaml = Stack + "\n  mesh-stack:images:\n    registry: ghcr.io/acme\n    tag: latest\n  mesh-stack:policy:\n    warn: [image-no-latest]\n";
        var (dir, file) = StackFile(yaml);
        var outDir = Path.Combine(dir, "out");
        var render = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.Equal(0, render.ExitCode);
        Assert.Contains("warning image-no-latest east/Deployment/ecommerce/order:", render.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "Main.yaml")));

        var env = new Dictionary<string, string> { ["PULUMI_STACK"] = "test", ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(file) };
        var program = InProcess.Run(dir, env, "program");
        Assert.Equal(4, program.ExitCode);
        Assert.Equal("", program.Stdout);
        Assert.Contains("Pulumi discards the program's stderr", program.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning image-no-latest east/Deployment/ecommerce/order", program.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_has_a_unique_kebab_case_id_and_a_summary()
    {
        Assert.Equal(PolicyPack.Rules.Count, PolicyPack.RuleIds.Count);
        Assert.All(PolicyPack.Rules, r =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Summary));
        });
    }
}
