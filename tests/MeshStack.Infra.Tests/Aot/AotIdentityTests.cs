using MeshStack.Tests.Support;

namespace MeshStack.Tests.Aot;

/// <summary>
/// The Native AOT synthesizer and the JIT build write the same bytes: the program Pulumi reads and every rendered file,
/// for every stack file and the generated 1-, 2- and 3-cluster stacks of both meshes (<see cref="StackCorpus"/>).
/// (A trimmed binary that lost members, or a serializer that fell back to reflection, would differ or abort here.)
/// </summary>
[Collection("compiler")]
public class AotIdentityTests
{
    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_corpus_stack_renders_the_same_bytes(string name)
    {
        NativeCompiler.AssertBuilt();
        var stackFile = StackFileOf(name);
        var jitDir = Path.Combine(Repo.TempDir(), "jit");
        var aotDir = Path.Combine(Repo.TempDir(), "aot");
        var jit = InProcess.Run(Repo.Root, null, "render", "--config", stackFile, "--out", jitDir);
        var aot = NativeCompiler.Run(Repo.Root, new Dictionary<string, string>(), "render", "--config", stackFile, "--out", aotDir);
        Assert.True(jit.ExitCode == 0, jit.Stderr);
        Assert.True(aot.ExitCode == 0, aot.Stderr);
        Assert.True(File.Exists(Path.Combine(jitDir, "Main.yaml")));
        Assert.Empty(RenderTrees.Differences(jitDir, aotDir));
    }

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void The_program_Pulumi_reads_is_the_same_for_every_corpus_stack(string name)
    {
        var stackFile = StackFileOf(name);
        var env = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = Path.GetFileName(stackFile)["Pulumi.".Length..^".yaml".Length],
            ["PULUMI_PROJECT"] = Compiler.ProjectName,
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(stackFile),
        };
        var run = AssertSameRun(Compiler.ProgramDirectory, env, "program");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.StartsWith($"name: \"{Compiler.ProjectName}\"", run.Stdout);
    }

    [Fact]
    public void Without_pulumi_variables_the_program_is_the_same() =>
        AssertSameRun(Compiler.ProgramDirectory, new Dictionary<string, string>(), "program");

    [Fact]
    public void An_invalid_stack_fails_with_the_same_exit_code_and_message()
    {
        var file = Path.Combine(Repo.TempDir(), "Pulumi.bad.yaml");
        File.WriteAllText(file, "config:\n  mesh-stack:mesh: consul\n  mesh-stack:mtsl: strict\n");
        var jit = AssertSameRun(Repo.Root, new Dictionary<string, string>(), "render", "--config", file, "--out", Path.Combine(Repo.TempDir(), "out"));
        Assert.Equal(2, jit.ExitCode);
        Assert.Contains("mesh-stack:mtsl", jit.Stderr);
    }

    [Fact]
    public void The_comparison_catches_a_changed_byte_a_missing_file_and_an_extra_file()
    {
        var a = Repo.TempDir();
        var b = Repo.TempDir();
        Directory.CreateDirectory(Path.Combine(a, "manifests", "east"));
        Directory.CreateDirectory(Path.Combine(b, "manifests", "east"));
        File.WriteAllText(Path.Combine(a, "Main.yaml"), "name: x\n");
        File.WriteAllText(Path.Combine(b, "Main.yaml"), "name: x\n");
        Assert.Empty(RenderTrees.Differences(a, b));

        File.WriteAllText(Path.Combine(b, "Main.yaml"), "name: y\n");
        File.WriteAllText(Path.Combine(a, "manifests", "east", "ns.yaml"), "kind: Namespace\n");
        File.WriteAllText(Path.Combine(b, "manifests", "east", "sa.yaml"), "kind: ServiceAccount\n");
        Assert.Equal(["missing: manifests/east/ns.yaml", "extra: manifests/east/sa.yaml", "differs at byte 6: Main.yaml"],
            RenderTrees.Differences(a, b));
    }

    /// <summary>A stack file's own path (the stack name matters); a temporary one for generated stacks.</summary>
    private static string StackFileOf(string name)
    {
        if (StackCorpus.Get(name).File is { } stackFile) return stackFile;
        var file = Path.Combine(Repo.TempDir(), "Pulumi.gen.yaml");
        File.WriteAllText(file, StackCorpus.Get(name).Yaml);
        return file;
    }

    private static CliResult AssertSameRun(string workingDirectory, Dictionary<string, string> env, params string[] args)
    {
        NativeCompiler.AssertBuilt();
        var jit = InProcess.Run(workingDirectory, env, args);
        var aot = NativeCompiler.Run(workingDirectory, env, args);
        Assert.Equal(jit.ExitCode, aot.ExitCode);
        Assert.Equal(jit.Stdout, aot.Stdout);
        Assert.Equal(jit.Stderr, aot.Stderr);
        return jit;
    }
}
