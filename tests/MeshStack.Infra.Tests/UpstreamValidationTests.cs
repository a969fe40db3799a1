using System.Diagnostics;
using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests;

/// <summary>
/// Renders checked with the shared validator: the Kubernetes OpenAPI, the CRDs, the charts' values and schemas, the
/// pinned SDKs' property typings and the engine contract (program name, explicit providers, `get` ids, null values).
/// </summary>
public class UpstreamValidationTests
{
    /// <summary>Every stack file in the repository and the generated 1-3 cluster configs on both meshes.</summary>
    [SkippableTheoryIfNoShared]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_corpus_stack_passes_validate_render_with_no_errors(string name)
    {
        var outDir = Path.Combine(Repo.TempDir(), "out");
        RenderDirectory.Write(CorpusRender.Of(name), "corpus", outDir);
        AssertNoErrors(outDir);
    }

    [SkippableTheoryIfNoShared]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_render_verb_output_passes_validate_render_with_no_errors(string stack)
    {
        var outDir = Path.Combine(Repo.TempDir(), stack);
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", stack, "--out", outDir).ExitCode);
        AssertNoErrors(outDir);
    }

    /// <summary>prod with an automated canary (Flagger) instead of the static one, on either mesh.</summary>
    [SkippableTheoryIfNoShared]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void Prod_with_an_automated_canary_passes_validate_render_with_no_errors(string mesh)
    {
        var dir = Repo.TempDir();
        // named prod on both meshes, so the policy pack's prod rules (strict mTLS everywhere) apply
        var file = Path.Combine(dir, "Pulumi.prod.yaml");
        var text = Stacks.WithAutomatedCanary(Stacks.WithMesh(StackFixtures.Text("prod"), mesh));
        File.WriteAllText(file, text);
        var outDir = Path.Combine(dir, "out");
        var render = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(render.ExitCode == 0, render.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "manifests", "east", "ecommerce-canary-order.yaml")));
        AssertNoErrors(outDir);
    }

    [SkippableTheoryIfNoShared]
    [InlineData("istio", 3)]
    [InlineData("linkerd", 3)]
    public void A_three_cluster_render_passes_validate_render_with_no_errors(string mesh, int clusters)
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, $"Pulumi.{mesh}{clusters}.yaml");
        File.WriteAllText(file, MultiClusterGraphTests.StackYaml(mesh, clusters));
        var outDir = Path.Combine(dir, "out");
        var render = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(render.ExitCode == 0, render.Stderr);
        AssertNoErrors(outDir);
    }

    /// <summary>
    /// The validator's errors, less the one it makes on its own: it looks for a Kubernetes SDK module under the API
    /// group's full name (<c>networking.k8s.io/v1/ingress.d.ts</c>) where the npm package names the folder after the
    /// group's first label (<c>networking/v1/ingress.d.ts</c>). That line is dropped only while the pinned SDK really
    /// declares <c>IngressArgs</c> there; our own typing check (EngineContract) covers the Ingress's properties.
    /// </summary>
    internal static void AssertNoErrors(string outDir)
    {
        var (_, output) = Validate(outDir);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var errors = lines.Where(l => !l.StartsWith("validate-render:", StringComparison.Ordinal))
            .Where(l => !IsValidatorIngressModuleMisread(l))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Contains("validate-render:", lines.Last());
    }

    private static bool IsValidatorIngressModuleMisread(string line) =>
        line.EndsWith("no IngressArgs in the kubernetes SDK (networking.k8s.io/v1/ingress.d.ts)", StringComparison.Ordinal)
        && KubernetesSdkDeclaresIngressArgs.Value;

    // read through the same SDK reader the property-typing tests use: where the module registering the token lives
    private static readonly Lazy<bool> KubernetesSdkDeclaresIngressArgs = new(() =>
    {
        const string token = "kubernetes:networking.k8s.io/v1:Ingress";
        var sdk = EngineContract.Typing.PinnedSdks.For("kubernetes")!;
        return sdk.ArgsLocation(token) is ("networking/v1/ingress.d.ts", "IngressArgs") && sdk.Args(token) is not null;
    });

    public static (int Code, string Output) Validate(string renderDir)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(Repo.Shared!, "tools", "validate-render.py"));
        psi.ArgumentList.Add(renderDir);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    [Fact]
    public void Pulumi_yaml_declares_exactly_the_keys_the_binder_knows_with_the_same_types_defaults_and_secrecy()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repo.Root, "Pulumi.yaml"))) stream.Load(reader);
        var config = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["config"];
        var declared = config.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);
        Assert.Equal(ConfigKeys.All.Select(k => k.Name).Order(), declared.Keys.Order());
        foreach (var key in ConfigKeys.All)
        {
            var d = declared[key.Name];
            Assert.Equal(key.Type, ((YamlScalarNode)d["type"]).Value);
            Assert.Equal(key.Secret, d.Children.ContainsKey(new YamlScalarNode("secret")));
            var hasDefault = d.Children.TryGetValue(new YamlScalarNode("default"), out var def);
            Assert.Equal(key.Default is not null, hasDefault);
            if (hasDefault)
            {
                var expected = key.Default!.ToJsonString();
                var actual = YamlToJson(def!).ToJsonString();
                Assert.Equal(expected, actual);
            }
        }
    }

    private static System.Text.Json.Nodes.JsonNode YamlToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new System.Text.Json.Nodes.JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (System.Text.Json.Nodes.JsonNode?)YamlToJson(c.Value)))),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, out var l) => l,
        YamlScalarNode s => s.Value!,
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>A theory that skips, naming the missing folder, when the shared upstream data is not beside the repository.</summary>
public sealed class SkippableTheoryIfNoShared : TheoryAttribute
{
    public SkippableTheoryIfNoShared()
    {
        if (Repo.Shared is null)
            Skip = "needs ../shared (upstream schemas and tools/validate-render.py) beside the repository, or MESHSTACK_SHARED";
    }
}
