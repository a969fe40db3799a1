using MeshStack.Tests.Support;

namespace MeshStack.Tests.Aot;

/// <summary>
/// The Native AOT synthesizer and the JIT build write the same bytes: the program Pulumi reads and every rendered file,
/// for every stack file and for generated 1-, 2- and 3-cluster stacks on both meshes. (A trimmed binary that lost
/// members, or a serializer that fell back to reflection, would differ or abort here.)
/// </summary>
[Collection("compiler")]
public class AotIdentityTests
{
    public static TheoryData<string> StackFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.Root, "Pulumi.*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            data.Add(file!);
        return data;
    }

    public static TheoryData<string, int> GeneratedStacks() => new()
    {
        { "istio", 1 }, { "istio", 2 }, { "istio", 3 }, { "linkerd", 1 }, { "linkerd", 2 }, { "linkerd", 3 },
    };

    [Theory]
    [MemberData(nameof(StackFiles))]
    public void Every_stack_file_renders_the_same_bytes(string stackFile) =>
        AssertSameRender(Path.Combine(Repo.Root, stackFile));

    [Theory]
    [MemberData(nameof(GeneratedStacks))]
    public void Generated_multi_cluster_stacks_render_the_same_bytes(string mesh, int clusters)
    {
        var file = Path.Combine(Repo.TempDir(), $"Pulumi.{mesh}{clusters}.yaml");
        File.WriteAllText(file, MultiClusterGraphTests.StackYaml(mesh, clusters));
        AssertSameRender(file);
    }

    [Theory]
    [MemberData(nameof(StackFiles))]
    public void The_program_Pulumi_reads_is_the_same_for_every_stack(string stackFile)
    {
        var stack = stackFile["Pulumi.".Length..^".yaml".Length];
        var env = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = "mesh-stack",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = EngineConfig.FromStackFile(Path.Combine(Repo.Root, stackFile)),
        };
        AssertSameRun(Deploy, env, "program");
    }

    [Fact]
    public void Without_pulumi_variables_the_program_is_the_same() =>
        AssertSameRun(Deploy, new Dictionary<string, string>(), "program");

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

    private static string Deploy => Path.Combine(Repo.Root, "deploy");

    private static void AssertSameRender(string stackFile)
    {
        NativeCompiler.AssertBuilt();
        var jitDir = Path.Combine(Repo.TempDir(), "jit");
        var aotDir = Path.Combine(Repo.TempDir(), "aot");
        var jit = InProcess.Run(Repo.Root, null, "render", "--config", stackFile, "--out", jitDir);
        var aot = NativeCompiler.Run(Repo.Root, new Dictionary<string, string>(), "render", "--config", stackFile, "--out", aotDir);
        Assert.True(jit.ExitCode == 0, jit.Stderr);
        Assert.True(aot.ExitCode == 0, aot.Stderr);
        Assert.True(File.Exists(Path.Combine(jitDir, "Main.yaml")));
        Assert.Empty(RenderTrees.Differences(jitDir, aotDir));
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
