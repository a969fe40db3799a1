using MeshStack.Tests.Support;

namespace MeshStack.Tests.Aot;

/// <summary>
/// The Native AOT synthesizer that infra/compile.sh publishes. `compile.sh --native` makes it current for the sources
/// under test (waiting for a background publish, or publishing once per test run), so AOT and JIT are compared at the
/// same commit.
/// </summary>
public static class NativeCompiler
{
    public static string Binary { get; } = Path.Combine(Repo.Root, "infra", "MeshStack.Infra", ".compiler", "native", "MeshStack.Infra");

    private static readonly Lazy<CliResult> Publish = new(() => Shell.Run(Repo.Root, "bash", Path.Combine(Repo.Root, "infra", "compile.sh"), "--native"));

    /// <summary>Fails (never skips) when there is no native toolchain: CI installs it.</summary>
    public static void AssertBuilt()
    {
        var publish = Publish.Value;
        Assert.True(publish.ExitCode == 0 && File.Exists(Binary),
            $"compile.sh --native exited {publish.ExitCode} without a Native AOT build at {Binary} " +
            $"(a missing toolchain: Debian apt-get install clang zlib1g-dev; .ci/run installs it):\n{publish.Stderr}");
    }

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Shell.Run(workingDirectory, environment, Binary, args);
}
