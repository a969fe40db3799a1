using MeshStack.CrdGen;

namespace MeshStack.Crds.Tests;

/// <summary>
/// Where the repository and the shared upstream data are. Upstream is <c>&lt;repo root&gt;/../shared/upstream</c>,
/// or the folder named by MESHSTACK_UPSTREAM; tests that need it are skipped, naming that path, when it is absent.
/// </summary>
public static class Upstream
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Root { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("MESHSTACK_UPSTREAM") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(RepoRoot, "..", "shared", "upstream"));

    public static bool Exists => Directory.Exists(Root);

    public static string SkipReason => $"upstream data not found at {Root} (<repo root>/../shared/upstream or MESHSTACK_UPSTREAM)";

    public static string GeneratedFolder => Path.Combine(RepoRoot, "infra", "MeshStack.Crds", "Generated");

    private static readonly Lazy<IReadOnlyList<CrdVersion>> AllCrds = new(() =>
        CrdReader.ReadSources(Root, Selection.Default.Sources));

    /// <summary>Every CRD version in the generator's sources, served or not.</summary>
    public static IReadOnlyList<CrdVersion> Crds => AllCrds.Value;

    /// <summary>The upstream CRD version a generated kind was made from.</summary>
    public static CrdVersion Crd(CrdKind kind) =>
        Crds.Single(c => c.Group == kind.Group && c.Version == kind.Version && c.Kind == kind.Kind);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MeshStack.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No MeshStack.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A fact that needs the upstream data; skipped with the path it looked at when that is absent.</summary>
public sealed class UpstreamFactAttribute : FactAttribute
{
    public UpstreamFactAttribute()
    {
        if (!Upstream.Exists)
        {
            Skip = Upstream.SkipReason;
        }
    }
}

/// <summary>A theory that needs the upstream data; skipped with the path it looked at when that is absent.</summary>
public sealed class UpstreamTheoryAttribute : TheoryAttribute
{
    public UpstreamTheoryAttribute()
    {
        if (!Upstream.Exists)
        {
            Skip = Upstream.SkipReason;
        }
    }
}
