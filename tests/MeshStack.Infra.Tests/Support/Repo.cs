using MeshStack.Cli;

namespace MeshStack.Tests.Support;

/// <summary>Paths of the repository under test and of the shared upstream data beside it.</summary>
public static class Repo
{
    public static string Root { get; } = ProjectRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("tests must run inside the repository (no Pulumi.yaml found above the test binaries)");

    public static string StackFile(string stack) => Path.Combine(Root, $"Pulumi.{stack}.yaml");

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
