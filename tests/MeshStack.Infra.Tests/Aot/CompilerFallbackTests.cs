using System.Text.RegularExpressions;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Aot;

/// <summary>
/// Where the native toolchain is missing, the compiler still answers: it builds and runs the JIT synthesizer and says
/// so on stderr, and stdout is still exactly the program.
/// </summary>
[Collection("compiler")]
public partial class CompilerFallbackTests
{
    [GeneratedRegex(@"^(cc|c89|c99|c\+\+|g\+\+.*|gcc.*|clang.*|x86_64-linux-gnu-(gcc|g\+\+|cc).*)$")]
    private static partial Regex CompilerName();

    [Fact]
    public void Without_a_C_toolchain_changed_sources_run_on_the_JIT_build_and_stderr_says_so()
    {
        var path = PathWithoutCompilers();
        var compile = Path.Combine(Repo.Root, "infra", "compile.sh");
        Assert.NotEqual(0, Shell.Run(Repo.Root, new Dictionary<string, string> { ["PATH"] = path }, "bash", compile, "--toolchain").ExitCode);
        // seeded: with the machine's own PATH the toolchain is there (CI installs it), so the check above is not vacuous
        Assert.Equal(0, Shell.Run(Repo.Root, "bash", compile, "--toolchain").ExitCode);

        // the sources must differ from every build for the fallback to show: a new file does that
        var probe = Path.Combine(Repo.Root, "infra", "MeshStack.Infra", $"FallbackProbe{Guid.NewGuid():N}.cs");
        CliResult run;
        try
        {
            File.WriteAllText(probe, "namespace MeshStack;\n\n// written and deleted by CompilerFallbackTests\ninternal static class FallbackProbe;\n");
            run = Shell.Run(Compiler.ProgramDirectory, new Dictionary<string, string> { ["PATH"] = path }, "bash", "../infra/compile.sh");
        }
        finally
        {
            File.Delete(probe);
        }
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("no native toolchain", run.Stderr);
        Assert.Contains("falling back to the JIT build", run.Stderr);
        Assert.DoesNotContain("publishing the Native AOT synthesizer", run.Stderr);
        Assert.Equal(Stacks.EmitRepositoryStack("dev").ProgramYaml, run.Stdout);
    }

    /// <summary>The test process's PATH, with every C compiler hidden: a folder of links to everything else.</summary>
    private static string PathWithoutCompilers()
    {
        var dir = Repo.TempDir();
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                var link = Path.Combine(dir, name);
                if (CompilerName().IsMatch(name) || File.Exists(link)) continue;
                File.CreateSymbolicLink(link, file);
            }
        }
        return dir;
    }
}
