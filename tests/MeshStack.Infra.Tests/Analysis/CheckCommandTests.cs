using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Analysis;

/// <summary><c>check</c>: exit codes 0/4/2/1, the text, json and SARIF formats, and a render directory edited by hand.</summary>
public class CheckCommandTests
{
    private static readonly Regex Line = new(@"^(error|warning|info) (MS[1-7]\d\d|[a-z0-9-]+) [a-z0-9-]+/[A-Za-z]+/[a-z0-9-]+/[a-z0-9.-]+: .+ \(fix: .+\)$");

    private const string LatestTag = """
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: east
              context: ctx-east
          mesh-stack:images:
            registry: ghcr.io/acme
            tag: latest
        """;

    private static (string Dir, string File) StackFile(string yaml, string stack = "test")
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(file, yaml);
        return (dir, file);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    [InlineData("canary")]
    [InlineData("multi-linkerd")]
    public void Every_repo_stack_checks_with_exit_0_and_one_well_formed_finding_per_line(string stack)
    {
        var result = InProcess.Run(Repo.Root, null, "check", stack);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.All(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Matches(Line, l));
        Assert.Contains($"checked {stack}: 0 errors", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_finding_exits_4_invalid_config_2_and_bad_usage_1()
    {
        var (dir, file) = StackFile(LatestTag);
        var bad = InProcess.Run(dir, null, "check", "--config", file);
        Assert.Equal(4, bad.ExitCode);
        Assert.Contains("error image-no-latest east/Deployment/ecommerce/order: container 'order' uses image 'ghcr.io/acme/order:latest'", bad.Stdout, StringComparison.Ordinal);

        var (dir2, file2) = StackFile("config:\n  mesh-stack:mesh: consul\n  mesh-stack:clusters:\n    - name: east\n      context: c\n");
        var invalid = InProcess.Run(dir2, null, "check", "--config", file2);
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("mesh-stack:mesh", invalid.Stderr, StringComparison.Ordinal);

        Assert.Equal(1, InProcess.Run(Repo.Root, null, "check", "dev", "--format", "xml").ExitCode);
        Assert.Equal(1, InProcess.Run(Repo.Root, null, "check").ExitCode);
        Assert.Equal(1, InProcess.Run(Repo.Root, null, "check", "dev", "--dir", "x").ExitCode);
    }

    [Fact]
    public void Policy_warn_lowers_an_error_finding_to_a_warning_and_check_passes()
    {
        var (dir, file) = StackFile(LatestTag + "\n  mesh-stack:policy:\n    warn: [image-no-latest]\n");
        var result = InProcess.Run(dir, null, "check", "--config", file);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning image-no-latest east/Deployment/ecommerce/order:", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("error ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rule_catalogue_lists_every_rule_with_its_level()
    {
        var result = InProcess.Run(Repo.Root, null, "check", "--rules");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(MeshStack.Analysis.Analyzer.Rules.Count, lines.Length);
        // README documents the same catalogue: each rule's row carries its id and level
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        Assert.All(MeshStack.Analysis.Analyzer.Rules, r => Assert.Contains($"| `{r.Id}` | {r.Level.ToString().ToLowerInvariant()} |", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void Json_is_an_array_of_findings_with_every_field()
    {
        var (dir, file) = StackFile(LatestTag);
        var result = InProcess.Run(dir, null, "check", "--config", file, "--format", "json");
        Assert.Equal(4, result.ExitCode);
        var findings = JsonNode.Parse(result.Stdout)!.AsArray();
        var order = findings.Single(f => f!["rule"]!.GetValue<string>() == "image-no-latest" && f["name"]!.GetValue<string>() == "order")!;
        Assert.Equal("error", order["level"]!.GetValue<string>());
        Assert.Equal("east", order["cluster"]!.GetValue<string>());
        Assert.Equal("Deployment", order["kind"]!.GetValue<string>());
        Assert.Equal("ecommerce", order["namespace"]!.GetValue<string>());
        Assert.Contains("latest", order["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(order["fix"]!.GetValue<string>()));
    }

    [SarifSchemaFact]
    public void Sarif_validates_against_the_sarif_2_1_0_schema_and_the_validator_rejects_a_broken_one()
    {
        var (dir, file) = StackFile(LatestTag);
        var result = InProcess.Run(dir, null, "check", "--config", file, "--format", "sarif");
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("", SarifSchema.Validate(result.Stdout));
        var sarif = JsonNode.Parse(result.Stdout)!;
        var results = sarif["runs"]![0]!["results"]!.AsArray();
        Assert.Contains(results, r => r!["ruleId"]!.GetValue<string>() == "image-no-latest" && r["level"]!.GetValue<string>() == "error"
            && r["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>() == "Pulumi.test.yaml");
        // the validator is not a rubber stamp: a level SARIF does not define is refused
        results[0]!["level"] = "fatal";
        Assert.Contains("fatal", SarifSchema.Validate(sarif.ToJsonString()), StringComparison.Ordinal);
    }

    /// <summary>
    /// The summary counts the rules that ran on the render: the catalogue less the other mesh's rules, less those a render
    /// directory without its config skips (the whole catalogue, as it was, overstated both).
    /// </summary>
    [Theory]
    [InlineData("prod", "istio")]
    [InlineData("dev", "linkerd")]
    public void The_summary_counts_the_rules_that_ran(string stack, string mesh)
    {
        var other = MeshStack.Meshes.MeshAnalysisCatalog.All.Single(m => !m.Name.Equals(mesh, StringComparison.OrdinalIgnoreCase));
        var ran = MeshStack.Analysis.Analyzer.Rules.Count - other.Rules.Count;
        Assert.Contains($"({ran} rules,", InProcess.Run(Repo.Root, null, "check", stack).Stderr, StringComparison.Ordinal);

        var outDir = Path.Combine(Repo.TempDir(), stack);
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", stack, "--out", outDir).ExitCode);
        var fromDir = InProcess.Run(Repo.Root, null, "check", "--dir", outDir);
        Assert.Contains("need --config FILE: prod-strict-mtls, edges-authorized", fromDir.Stderr, StringComparison.Ordinal);
        Assert.Contains($"({ran - 2} rules,", fromDir.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_directory_checks_like_the_stack_and_a_hand_edit_is_reported_at_its_file()
    {
        var outDir = Path.Combine(Repo.TempDir(), "dev");
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", "dev", "--out", outDir).ExitCode);
        var fromStack = InProcess.Run(Repo.Root, null, "check", "dev");
        var fromDir = InProcess.Run(Repo.Root, null, "check", "--dir", outDir);
        Assert.Equal(0, fromDir.ExitCode);
        // without the stack config, the rules that compare with the stack's intent are skipped (and say so)
        Assert.Contains("need --config FILE: prod-strict-mtls, edges-authorized", fromDir.Stderr, StringComparison.Ordinal);
        Assert.Equal(fromStack.Stdout, fromDir.Stdout);
        Assert.Equal(fromStack.Stdout, InProcess.Run(Repo.Root, null, "check", "--dir", outDir, "--config", Repo.StackFile("dev")).Stdout);

        // a hand edit: the Server's port renamed
        var server = Path.Combine(outDir, "manifests", "dev", "ecommerce-server-order-http.yaml");
        File.WriteAllText(server, File.ReadAllText(server).Replace("port: \"http\"", "port: \"web\"", StringComparison.Ordinal));
        var edited = InProcess.Run(Repo.Root, null, "check", "--dir", outDir, "--format", "sarif");
        Assert.Equal(4, edited.ExitCode);
        var result = JsonNode.Parse(edited.Stdout)!["runs"]![0]!["results"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "MS206");
        Assert.Equal("manifests/dev/ecommerce-server-order-http.yaml", result!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>());
        Assert.Contains("error MS206 dev/Server/ecommerce/order-http: port \"web\"", InProcess.Run(Repo.Root, null, "check", "--dir", outDir).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("canary")]
    [InlineData("multi-linkerd")]
    public void Every_repo_render_directory_gives_the_findings_of_its_stack(string stack)
    {
        var outDir = Path.Combine(Repo.TempDir(), stack);
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", stack, "--out", outDir).ExitCode);
        var fromDir = InProcess.Run(Repo.Root, null, "check", "--dir", outDir, "--config", Repo.StackFile(stack));
        Assert.True(fromDir.ExitCode == 0, fromDir.Stderr);
        Assert.Equal(InProcess.Run(Repo.Root, null, "check", stack).Stdout, fromDir.Stdout);
    }

    [Fact]
    public void Render_reports_warnings_on_stderr_and_still_writes()
    {
        // Istio permissive still denies unmeshed clients (MS210, known open): a warning, and the render is written
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.gen.yaml");
        File.WriteAllText(file, StackCorpus.Get("generated:istio-2-cluster").Yaml);
        var outDir = Path.Combine(dir, "out");
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning MS210 east/Deployment/ecommerce/order:", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "Main.yaml")));
    }

    [Fact]
    public void A_directory_without_main_yaml_is_refused_with_exit_1()
    {
        var result = InProcess.Run(Repo.Root, null, "check", "--dir", Repo.TempDir());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Main.yaml", result.Stderr, StringComparison.Ordinal);
    }
}
