using System.Diagnostics;
using MeshStack.Config;
using MeshStack.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests;

/// <summary>Renders checked against the upstream schemas with the shared validator (Kubernetes OpenAPI, CRDs, chart values).</summary>
public class UpstreamValidationTests
{
    public static TheoryData<string> RepoStacks => new() { "dev", "prod", "canary" };

    [SkippableTheoryIfNoShared]
    [MemberData(nameof(RepoStacks))]
    public void Render_passes_validate_render_with_no_errors(string stack)
    {
        var outDir = Path.Combine(Repo.TempDir(), stack);
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", stack, "--out", outDir).ExitCode);
        var (code, output) = Validate(outDir);
        Assert.True(code == 0, output);
        Assert.Contains(" 0 errors", output);
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
        var text = Stacks.WithMesh(File.ReadAllText(Repo.StackFile("prod")), mesh)
            .Replace("      weight: 10\n", "      automated: true\n", StringComparison.Ordinal);
        Assert.Contains("automated: true", text);
        File.WriteAllText(file, text);
        var outDir = Path.Combine(dir, "out");
        var render = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(render.ExitCode == 0, render.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "manifests", "east", "ecommerce-canary-order.yaml")));
        // prod has two clusters: on Linkerd that means Links, whose schema the upstream data lacks (see below)
        AssertValidExceptMissingLinkSchema(outDir, mesh == "linkerd" ? 2 : 1);
    }

    /// <summary>
    /// Every error the validator reports must be the missing Link schema, one per Link in the program and one in its
    /// manifest; with the schema present upstream, there must be none at all.
    /// </summary>
    internal static void AssertValidExceptMissingLinkSchema(string outDir, int clusters)
    {
        var (_, output) = Validate(outDir);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var errors = lines.Where(l => !l.StartsWith("validate-render:", StringComparison.Ordinal)).ToList();
        const string missingSchema = "unknown kind multicluster.linkerd.io/v1alpha3 Link (no schema in upstream/)";
        Assert.All(errors, e => Assert.EndsWith(missingSchema, e));
        Assert.Contains(errors.Count, new[] { 0, 2 * clusters * (clusters - 1) });
        Assert.Contains($" {errors.Count} errors", lines.Last());
    }

    /// <summary>
    /// The three-cluster Linkerd stack validates except for its Links: the Link CRD ships inside the
    /// linkerd-multicluster chart and is not among the upstream schemas, so the validator can only call the kind
    /// unknown. Every other object (credentials, multicluster values, namespaces, the whole mesh) must pass, and
    /// once the schema is added upstream the Links must pass too.
    /// </summary>
    [SkippableTheoryIfNoShared]
    [InlineData("multi-linkerd", 3)]
    public void A_multi_cluster_linkerd_render_has_no_error_but_the_missing_link_schema(string stack, int clusters)
    {
        var outDir = Path.Combine(Repo.TempDir(), stack);
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", stack, "--out", outDir).ExitCode);
        AssertValidExceptMissingLinkSchema(outDir, clusters);
    }

    [SkippableTheoryIfNoShared]
    [InlineData("istio", 3)]
    public void A_three_cluster_istio_render_passes_validate_render_with_no_errors(string mesh, int clusters)
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, $"Pulumi.{mesh}{clusters}.yaml");
        File.WriteAllText(file, MultiClusterGraphTests.StackYaml(mesh, clusters));
        var outDir = Path.Combine(dir, "out");
        var render = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.True(render.ExitCode == 0, render.Stderr);
        var (code, output) = Validate(outDir);
        Assert.True(code == 0, output);
        Assert.Contains(" 0 errors", output);
    }

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
