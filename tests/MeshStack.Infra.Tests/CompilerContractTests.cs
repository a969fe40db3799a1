using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MeshStack.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests;

/// <summary>Builds the compiler once (a clean clone has no build yet) so each contract test measures only its own run.</summary>
public sealed class CompilerFixture
{
    public CompilerFixture()
    {
        var warm = Compiler.Run(new Dictionary<string, string>());
        if (warm.ExitCode != 0) throw new InvalidOperationException($"the compiler does not run: {warm.Stderr}");
    }
}

[CollectionDefinition("compiler")]
public sealed class CompilerCollection : ICollectionFixture<CompilerFixture>;

/// <summary>
/// The bridge contract: the exact command in Pulumi.yaml, run as Pulumi runs it (argv split like a shell,
/// no shell, working directory = the program directory, only the variables Pulumi sets).
/// </summary>
[Collection("compiler")]
public class CompilerContractTests
{
    [Fact]
    public void Without_pulumi_variables_it_prints_the_dev_program_and_exits_0()
    {
        var run = Compiler.Run(new Dictionary<string, string>());
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = ParseSingleMapping(run.Stdout);
        Assert.True(((YamlMappingNode)root["resources"]).Children.Count > 10);
        Assert.Equal(Stacks.Emit("dev").ProgramYaml, run.Stdout);
    }

    [Fact]
    public void With_the_prod_stack_its_stdout_equals_render_prods_Main_yaml()
    {
        var env = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "prod",
            ["PULUMI_PROJECT"] = "mesh-stack",
            ["PULUMI_ORGANIZATION"] = "organization",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(Repo.StackFile("prod")),
        };
        var run = Compiler.Run(env);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var outDir = Path.Combine(Repo.TempDir(), "prod");
        var render = InProcess.Run(Repo.Root, null, "render", "prod", "--out", outDir);
        Assert.Equal(0, render.ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "Main.yaml")), Encoding.UTF8.GetBytes(run.Stdout));
        Assert.Contains("\"pulumi:providers:kubernetes\"", run.Stdout);
        Assert.Contains("k8s-west", run.Stdout);
    }

    [Fact]
    public void Two_runs_print_identical_bytes()
    {
        var first = Compiler.Run(new Dictionary<string, string>());
        var second = Compiler.Run(new Dictionary<string, string>());
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void A_literal_dollar_is_escaped_and_every_interpolation_names_a_declared_resource()
    {
        var run = Compiler.Run(new Dictionary<string, string>());
        // OTEL_RESOURCE_ATTRIBUTES holds the kubelet's $(POD_NAME): Pulumi must receive $$ so it passes a single $ on
        Assert.Contains("k8s.pod.name=$$(POD_NAME)", run.Stdout);
        Assert.DoesNotContain("=$(POD_NAME)", run.Stdout.Replace("$$(", ""));

        var root = ParseSingleMapping(run.Stdout);
        var declared = ((YamlMappingNode)root["resources"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var references = Regex.Matches(run.Stdout.Replace("$$", ""), @"\$\{([^}.\[]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r, declared));
    }

    [Fact]
    public void Stdout_is_only_the_program_even_when_the_compiler_rebuilds()
    {
        // an edit (here: a newer timestamp) must never be ignored: the compiler rebuilds, and says so on stderr only
        var source = Path.Combine(Repo.Root, "infra", "MeshStack.Infra", "Program.cs");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow);
        var run = Compiler.Run(new Dictionary<string, string>());
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("rebuilding", run.Stderr);
        Assert.Equal(Stacks.Emit("dev").ProgramYaml, run.Stdout);
        Assert.DoesNotContain("rebuilding", Compiler.Run(new Dictionary<string, string>()).Stderr);
    }

    private static YamlMappingNode ParseSingleMapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }
}

/// <summary>Runs <c>runtime.options.compiler</c> from Pulumi.yaml exactly as the YAML runtime does.</summary>
public static class Compiler
{
    public static CliResult Run(IReadOnlyDictionary<string, string> pulumiVariables)
    {
        var project = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repo.Root, "Pulumi.yaml"))) project.Load(reader);
        var root = (YamlMappingNode)project.Documents[0].RootNode;
        var command = ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)root["runtime"])["options"])["compiler"]).Value!;
        var main = root.Children.TryGetValue(new YamlScalarNode("main"), out var m) ? ((YamlScalarNode)m).Value! : ".";
        var argv = ShellWords(command);

        var psi = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = Path.GetFullPath(Path.Combine(Repo.Root, main)),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        // the test process may itself run under Pulumi-like variables: the compiler must see only ours
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in pulumiVariables) psi.Environment[k] = v;

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        return new CliResult(process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Splits like a POSIX shell would for plain words and quotes (no expansion).</summary>
    public static List<string> ShellWords(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in command)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else current.Append(c);
            }
            else if (c is '"' or '\'') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
            }
            else { current.Append(c); inWord = true; }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
