using System.Text.RegularExpressions;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// The corpus: every listed and mutated bad input gets its documented exit code, a message naming file:line:column
/// or the key path, no stack trace, nothing on stdout, and leaves a pre-filled output folder byte-identical.
/// </summary>
public partial class HostileInputCorpusTests(HostileInputCorpusTests.Workspace workspace) : IClassFixture<HostileInputCorpusTests.Workspace>
{
    /// <summary>A folder holding an earlier render, the --out of every case, and a snapshot of it.</summary>
    public sealed class Workspace
    {
        public string Dir { get; } = Repo.TempDir();
        public string Out => Path.Combine(Dir, "out");
        public FolderSnapshot Before { get; }

        public Workspace()
        {
            var file = Path.Combine(Dir, "Pulumi.dev.yaml");
            File.Copy(Repo.StackFile("dev"), file);
            var result = InProcess.Run(Dir, null, "render", "--config", file, "--out", Out);
            Assert.True(result.ExitCode == 0, result.Stderr);
            File.Delete(file);
            Before = FolderSnapshot.Of(Dir);
        }
    }

    /// <summary>Each problem line names a place: file:line[:column], or a key path (mesh-stack:..., PULUMI_CONFIG, stack).</summary>
    // the last alternative is an analysis finding (issue 14): <level> <rule> <cluster>/<Kind>/<namespace>/<name>
    [GeneratedRegex(@"^  (Pulumi\.[^:]+\.yaml(:\d+:\d+)?|PULUMI_CONFIG|stack|[A-Za-z-]+:[^:\s]*|[A-Za-z_.\[\]0-9-]+|\[[^\]]+\] .+|(error|warning|info) [A-Za-z0-9-]+ [a-z0-9-]+/[A-Za-z]+/[a-z0-9-]+/[a-z0-9.-]+): .{10,}$")]
    private static partial Regex Located();

    public static TheoryData<BadInput> Listed => [.. ListedCases.All(), .. AppSpecCases.All()];

    public static TheoryData<BadInput> Mutated => [.. MutatedCases.All()];

    [Fact]
    public void The_corpus_has_at_least_300_distinct_bad_inputs()
    {
        var all = ListedCases.All().Concat(AppSpecCases.All()).Concat(MutatedCases.All()).ToList();
        Assert.True(all.Count >= 300, $"{all.Count} cases");
        Assert.Equal(all.Count, all.Select(c => c.Name).Distinct().Count());
    }

    public static TheoryData<string> BaseStacks => [.. MutatedCases.Stacks];

    [Theory]
    [MemberData(nameof(BaseStacks))]
    public void Each_unmutated_stack_in_the_corpus_form_renders(string stack)
    {
        // the baseline of every mutation is valid: what the mutated case refuses is the mutation
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(file, MutatedCases.Yaml(MutatedCases.Config(stack)));
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", Path.Combine(dir, "out"));
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    [Theory]
    [MemberData(nameof(Listed))]
    public void Listed_input_is_refused_per_contract(BadInput input) => AssertRefused(input);

    [Theory]
    [MemberData(nameof(Mutated))]
    public void Mutated_stack_file_is_refused_per_contract(BadInput input) => AssertRefused(input);

    private void AssertRefused(BadInput input)
    {
        CliResult result;
        if (input.EngineConfig is { } engine)
        {
            result = InProcess.Run(workspace.Dir, new Dictionary<string, string> { ["PULUMI_STACK"] = input.Stack, ["PULUMI_CONFIG"] = engine }, "program");
        }
        else
        {
            var file = Path.Combine(workspace.Dir, $"Pulumi.{input.Stack}.yaml");
            File.WriteAllBytes(file, input.File);
            try
            {
                result = InProcess.Run(workspace.Dir, null, "render", "--config", file, "--out", workspace.Out);
            }
            finally
            {
                File.Delete(file);
            }
        }

        Assert.True(result.ExitCode == input.ExitCode, $"{input.Name}: exit {result.ExitCode}, expected {input.ExitCode}\n{Excerpt(result.Stderr)}");
        Assert.True(result.Stderr.Contains(input.Expected, StringComparison.Ordinal), $"{input.Name}: no '{input.Expected}' in\n{Excerpt(result.Stderr)}");
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.DoesNotMatch(@"known keys: *\n", result.Stderr);
        // a file that could not be read says so, and not what reading nothing would mean
        if (result.Stderr.Contains("Pulumi.bad.yaml:", StringComparison.Ordinal)) Assert.DoesNotContain("clusters: required", result.Stderr);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0]);
        foreach (var line in lines.Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("    ", StringComparison.Ordinal)))
            Assert.Matches(Located(), line);
        workspace.Before.AssertSame(FolderSnapshot.Of(workspace.Dir), input.Name);
    }

    private static string Excerpt(string text) => text.Length <= 2000 ? text : text[..2000] + "...";
}
