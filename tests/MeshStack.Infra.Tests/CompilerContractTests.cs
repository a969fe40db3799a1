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
        Assert.Equal(Stacks.EmitRepositoryStack("dev").ProgramYaml, run.Stdout);
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
            ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(StackFixtures.File("prod")),
        };
        var run = Compiler.Run(env);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var outDir = Path.Combine(Repo.TempDir(), "prod");
        var render = InProcess.Run(Repo.Root, null, "render", "--config", StackFixtures.File("prod"), "--out", outDir);
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

    /// <summary>
    /// The program names its project: with `main: deploy/` the runtime has nowhere else to take the name from and fails
    /// with "compiler did not produce a valid template" (pulumi-yaml pkg/pulumiyaml/run.go 91-97 and LoadDir 141-150,
    /// v1.38.1), and `${project:key}` config references resolve against it (pkg/pulumiyaml/sort.go 200-213).
    /// </summary>
    [Fact]
    public void Run_from_the_program_directory_it_prints_a_program_named_after_the_project()
    {
        var run = Compiler.Run(new Dictionary<string, string>());
        Assert.True(run.ExitCode == 0, run.Stderr);
        var program = ParseSingleMapping(run.Stdout);
        Assert.Equal(Compiler.ProjectName, ((YamlScalarNode)program["name"]).Value);
        // and the program directory really holds nothing the runtime could fall back to
        Assert.False(File.Exists(Path.Combine(Compiler.ProgramDirectory, "Main.yaml")));
        Assert.False(File.Exists(Path.Combine(Compiler.ProgramDirectory, "Pulumi.yaml")));
    }

    /// <summary>Seeded fault: a program without `name` is what the runtime rejects; the check above sees it.</summary>
    [Fact]
    public void A_program_without_a_name_is_caught()
    {
        var yaml = Stacks.Emit("dev").ProgramYaml;
        var withoutName = string.Join('\n', yaml.Split('\n').Where(l => !l.StartsWith("name:", StringComparison.Ordinal)));
        Assert.False(ParseSingleMapping(withoutName).Children.ContainsKey(new YamlScalarNode("name")));
        Assert.True(ParseSingleMapping(yaml).Children.ContainsKey(new YamlScalarNode("name")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Config_without_a_stack_fails_instead_of_printing_another_stacks_program(string? stack)
    {
        var env = new Dictionary<string, string> { ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(StackFixtures.File("prod")) };
        if (stack is not null) env["PULUMI_STACK"] = stack;
        var run = Compiler.Run(env);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("PULUMI_STACK", run.Stderr);
    }

    [Fact]
    public void Another_project_name_fails_with_the_name_it_expects()
    {
        var run = Compiler.Run(new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "prod",
            ["PULUMI_PROJECT"] = "shop",
            ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(StackFixtures.File("prod")),
        });
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(Compiler.ProjectName, run.Stderr);
    }

    /// <summary>
    /// A deleted source changes no timestamp that remains, so only a fingerprint of the source set sees it: adding a
    /// file rebuilds, deleting it changes the build again (the user's `pulumi up` must not deploy the old program): a
    /// rebuild, or the Native AOT build made from exactly these sources when one is current; an unchanged tree does
    /// neither. Stdout is the program throughout; build output goes to stderr.
    /// </summary>
    [Fact]
    public void Adding_or_deleting_a_source_file_rebuilds_the_compiler_and_stdout_stays_the_program()
    {
        var probe = Path.Combine(Repo.Root, "infra", "MeshStack.Infra", $"StalenessProbe{Guid.NewGuid():N}.cs");
        var expected = Stacks.EmitRepositoryStack("dev").ProgramYaml;
        try
        {
            File.WriteAllText(probe, "namespace MeshStack;\n\n// written and deleted by CompilerContractTests\ninternal static class StalenessProbe;\n");
            var added = Compiler.Run(new Dictionary<string, string>());
            Assert.True(added.ExitCode == 0, added.Stderr);
            Assert.Contains("rebuilding", added.Stderr);
            Assert.Equal(expected, added.Stdout);
        }
        finally
        {
            File.Delete(probe);
        }
        var deleted = Compiler.Run(new Dictionary<string, string>());
        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        Assert.Contains("sources changed", deleted.Stderr);
        Assert.Equal(expected, deleted.Stdout);

        var unchanged = Compiler.Run(new Dictionary<string, string>());
        Assert.DoesNotContain("sources changed", unchanged.Stderr);
        Assert.Equal(expected, unchanged.Stdout);
    }

    /// <summary>
    /// A source that does not compile: the compiler exits 1 with the C# error and what to do on stderr, and prints no
    /// program (Pulumi must not deploy the previous build's). Once fixed, the program is back.
    /// </summary>
    [Fact]
    public void A_source_that_does_not_compile_fails_with_the_error_on_stderr_and_nothing_on_stdout()
    {
        var probe = Path.Combine(Repo.Root, "infra", "MeshStack.Infra", $"BrokenProbe{Guid.NewGuid():N}.cs");
        CliResult broken;
        try
        {
            File.WriteAllText(probe, "namespace MeshStack;\n\n// written and deleted by CompilerContractTests\ninternal static class BrokenProbe {\n");
            broken = Compiler.Run(new Dictionary<string, string>());
        }
        finally
        {
            File.Delete(probe);
        }
        Assert.Equal(1, broken.ExitCode);
        Assert.Equal("", broken.Stdout);
        Assert.Matches($@"BrokenProbe\w+\.cs\(\d+,\d+\): error CS", broken.Stderr);
        Assert.Contains("the synthesizer does not build; fix the errors above", broken.Stderr);

        var fixedRun = Compiler.Run(new Dictionary<string, string>());
        Assert.True(fixedRun.ExitCode == 0, fixedRun.Stderr);
        Assert.Equal(Stacks.EmitRepositoryStack("dev").ProgramYaml, fixedRun.Stdout);
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
    private static readonly YamlMappingNode Project = LoadProject();

    private static YamlMappingNode LoadProject()
    {
        var project = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repo.Root, "Pulumi.yaml"))) project.Load(reader);
        return (YamlMappingNode)project.Documents[0].RootNode;
    }

    /// <summary>The project's name as Pulumi.yaml declares it.</summary>
    public static string ProjectName => ((YamlScalarNode)Project["name"]).Value!;

    /// <summary>The stack config keys Pulumi.yaml declares (without the project prefix).</summary>
    public static IReadOnlyList<string> DeclaredConfigKeys =>
        ((YamlMappingNode)Project["config"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

    /// <summary>The compiler's working directory: `main` when set, else the project directory (run.go 68).</summary>
    public static string ProgramDirectory =>
        Path.GetFullPath(Path.Combine(Repo.Root, Project.Children.TryGetValue(new YamlScalarNode("main"), out var m) ? ((YamlScalarNode)m).Value! : "."));

    public static CliResult Run(IReadOnlyDictionary<string, string> pulumiVariables)
    {
        var command = ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)Project["runtime"])["options"])["compiler"]).Value!;
        var argv = ShellWords(command);

        var psi = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = ProgramDirectory,
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
