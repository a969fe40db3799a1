using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// The rules of the Pulumi YAML runtime and engine that our program relies on (<see cref="EngineRules"/>), checked on
/// the program text of every corpus stack, and each shown to catch a seeded fault for the right reason.
/// </summary>
public class EngineContractTests
{
    public static TheoryData<string, string> RulesAndStacks
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var rule in EngineRules.All)
                foreach (var stack in StackCorpus.All)
                    data.Add(rule.Id, stack.Name);
            return data;
        }
    }

    private static ProgramDocument Program(string stack) => ProgramDocument.Parse(CorpusRender.Of(stack).ProgramYaml);

    private static IReadOnlyList<string> Run(EngineRule rule, ProgramDocument program) => rule.Check(program).ToList();

    [Theory]
    [MemberData(nameof(RulesAndStacks))]
    public void Every_corpus_program_keeps_every_engine_rule(string rule, string stack)
    {
        var problems = Run(EngineRules.All.Single(r => r.Id == rule), Program(stack));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>A fault seeded into a clean program: the rule reports it, naming what was broken.</summary>
    private static void AssertCaught(EngineRule rule, string stack, Action<ProgramDocument> seed, string expected)
    {
        var clean = Program(stack);
        Assert.Empty(Run(rule, clean));
        var faulty = clean.Clone();
        seed(faulty);
        var problems = Run(rule, faulty);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    private static string FirstOfType(ProgramDocument p, string type) =>
        p.Resources.First(r => r.Value!["type"]!.GetValue<string>() == type).Key;

    private static string FirstRelease(ProgramDocument p, string chart) =>
        p.Resources.First(r => r.Value!["properties"]?["chart"]?.GetValue<string>() == chart).Key;

    [Fact]
    public void A_program_without_its_project_name_is_refused() =>
        AssertCaught(EngineRules.ProgramName, "stack:dev", p => p.Root.Remove("name"), "must be the project's name");

    [Fact]
    public void A_program_named_after_another_project_is_refused() =>
        AssertCaught(EngineRules.ProgramName, "stack:prod", p => p.Root["name"] = "shop", "'shop'");

    [Theory]
    [InlineData("tls:index/privateKey:PrivateKey", "tls")]
    [InlineData("random:index/randomPassword:RandomPassword", "random")]
    [InlineData("kubernetes:apps/v1:Deployment", "kubernetes")]
    public void A_resource_left_to_a_disabled_default_provider_is_caught(string type, string package) =>
        AssertCaught(EngineRules.ExplicitProviders, "stack:dev",
            p => p.Resources[FirstOfType(p, type)]!["options"]!.AsObject().Remove("provider"),
            $"with default providers disabled the engine refuses a {package} resource without one");

    [Fact]
    public void A_tls_resource_on_the_kubernetes_provider_is_caught() =>
        AssertCaught(EngineRules.ExplicitProviders, "stack:dev",
            p => p.Resources[FirstOfType(p, "tls:index/privateKey:PrivateKey")]!["options"]!["provider"] = "${k8s-dev}",
            "not a pulumi:providers:tls resource");

    [Fact]
    public void Two_plugin_versions_of_one_package_are_caught() =>
        AssertCaught(EngineRules.ExplicitProviders, "stack:prod",
            p => p.Resources[FirstOfType(p, "tls:index/selfSignedCert:SelfSignedCert")]!["options"]!["version"] = "5.0.0",
            "package tls: resources pin different plugin versions");

    [Theory]
    [InlineData("top", "Resources", "not a top-level key")]
    [InlineData("resource", "propertes", "not a resource key")]
    [InlineData("option", "dependOn", "not a resource option")]
    public void A_misspelled_key_the_runtime_would_ignore_is_caught(string where, string key, string expected) =>
        AssertCaught(EngineRules.KnownKeys, "stack:prod", p =>
        {
            var target = where switch
            {
                "top" => p.Root,
                "resource" => p.Resources["k8s-east"]!.AsObject(),
                _ => p.Resources[FirstOfType(p, "kubernetes:core/v1:Namespace")]!["options"]!.AsObject(),
            };
            target[key] = "x";
        }, expected);

    [Fact]
    public void A_get_of_an_object_the_program_creates_by_a_literal_id_is_caught() =>
        AssertCaught(EngineRules.GetIds, "stack:multi-linkerd",
            p => p.Resources["east-linkerd-gateway"]!["get"]!["id"] = "linkerd-multicluster/linkerd-gateway",
            "east-linkerd-gateway: get.id 'linkerd-multicluster/linkerd-gateway' is known before east-linkerd-multicluster exists");

    [Fact]
    public void An_unescaped_dollar_brace_in_a_literal_is_caught()
    {
        // the collector chart's own placeholder: Helm must receive it, so Pulumi must see it as $${env:...}
        AssertCaught(EngineRules.Interpolations, "stack:dev", p =>
        {
            var collector = p.Resources[FirstRelease(p, "opentelemetry-collector")]!;
            var endpoint = collector["properties"]!["values"]!["config"]!["exporters"]!["prometheus"]!["endpoint"]!;
            Assert.StartsWith("$${env:MY_POD_IP}", endpoint.GetValue<string>());
            collector["properties"]!["values"]!["config"]!["exporters"]!["prometheus"]!["endpoint"] = endpoint.GetValue<string>()[1..];
        }, "refers to 'env:MY_POD_IP', which the program does not declare");
    }

    [Fact]
    public void A_non_secret_config_value_read_through_the_runtime_is_caught() =>
        AssertCaught(EngineRules.ConfigReferences, "stack:dev", p =>
            p.Root["config"] = new JsonObject { ["images"] = new JsonObject { ["type"] = "object" } },
            "config.images: read through the runtime, which re-types strings");

    [Fact]
    public void A_resource_named_like_a_stack_config_key_is_caught() =>
        AssertCaught(EngineRules.ConfigReferences, "stack:dev", p =>
            p.Resources["replicas"] = p.Resources["k8s-dev"]!.DeepClone(),
            "replicas: a resource named like the stack config key mesh-stack:replicas");

    [Fact]
    public void A_null_helm_value_is_caught() =>
        AssertCaught(EngineRules.NoNulls, "stack:prod", p =>
            p.Resources[FirstRelease(p, "opentelemetry-collector")]!["properties"]!["values"]!["config"]!["receivers"] = new JsonObject { ["jaeger"] = null },
            "properties.values.config.receivers.jaeger: null never reaches the provider");

    [Fact]
    public void A_custom_resource_without_a_namespace_is_caught() =>
        AssertCaught(EngineRules.NamespacedObjects, "stack:prod", p =>
        {
            var group = p.Resources[FirstOfType(p, "kubernetes:yaml/v2:ConfigGroup")]!;
            group["properties"]!["objs"]![0]!["metadata"]!.AsObject().Remove("namespace");
        }, "no metadata.namespace");

    [Fact]
    public void The_upstream_crds_are_read_with_their_scopes()
    {
        Assert.True(UpstreamCrds.Count > 30, $"read {UpstreamCrds.Count} CRDs");
        Assert.False(UpstreamCrds.IsClusterScoped("networking.istio.io", "VirtualService"));
        Assert.True(UpstreamCrds.IsClusterScoped("gateway.networking.k8s.io", "GatewayClass"));
        Assert.True(UpstreamCrds.IsCustom("policy.linkerd.io", "Server"));
        Assert.False(UpstreamCrds.IsCustom("apps", "Deployment"));
    }

    [Fact]
    public void A_custom_resource_that_does_not_wait_for_its_crds_is_caught() =>
        AssertCaught(EngineRules.DependsOnClosure, "stack:prod", p =>
        {
            // east's traffic policy: it waits for the Istio CRDs only through dependsOn
            var traffic = p.Resources.First(r => r.Value!["type"]!.GetValue<string>() == "kubernetes:yaml/v2:ConfigGroup"
                && r.Value["properties"]!["objs"]!.AsArray().Any(o => o!["kind"]!.GetValue<string>() == "VirtualService")).Key;
            p.Resources[traffic]!["options"]!.AsObject().Remove("dependsOn");
        }, "does not wait for what installs its CRD");

    [Fact]
    public void An_object_that_does_not_wait_for_its_namespace_is_caught() =>
        AssertCaught(EngineRules.DependsOnClosure, "stack:dev", p =>
        {
            var account = p.Resources.First(r => r.Value!["type"]!.GetValue<string>() == "kubernetes:core/v1:ServiceAccount"
                && r.Value["properties"]!["metadata"]!["namespace"]!.GetValue<string>() == "ecommerce").Key;
            p.Resources[account]!["options"]!.AsObject().Remove("dependsOn");
        }, "in namespace 'ecommerce' but does not wait for");
}
