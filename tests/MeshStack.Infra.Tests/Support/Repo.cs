using MeshStack.Cli;

namespace MeshStack.Tests.Support;

/// <summary>Paths of the repository under test and of the shared upstream data beside it.</summary>
public static class Repo
{
    public static string Root { get; } = ProjectRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("tests must run inside the repository (no Pulumi.yaml found above the test binaries)");

    /// <summary>
    /// The repository's own stack file, which users edit (a canary weight, a cluster): only tests of the repository's
    /// files read it, and they assert behaviour, never its values; tests of values read <see cref="StackFixtures"/>.
    /// </summary>
    public static string StackFile(string stack) => Path.Combine(Root, $"Pulumi.{stack}.yaml");

    /// <summary>Every <c>Pulumi.&lt;stack&gt;.yaml</c> at the repository root, in ordinal order.</summary>
    public static IReadOnlyList<string> StackFiles() =>
        Directory.GetFiles(Root, "Pulumi.*.yaml").Order(StringComparer.Ordinal).ToList();

    /// <summary>The shared folder beside the repository (upstream schemas, validate-render.py), or null when absent.</summary>
    public static string? Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("MESHSTACK_SHARED");
            var dir = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meshstack-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
