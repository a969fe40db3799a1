using MeshStack.Graph;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// The npm SDKs of the plugin versions the program pins (<see cref="PluginVersions"/>), from the
/// <c>upstream/pulumi/npm</c> folder of the shared data beside the repository. Each tarball is read once per run.
/// </summary>
public static class PinnedSdks
{
    public static IReadOnlyList<string> Packages { get; } = ["kubernetes", "tls", "random"];

    private static readonly Dictionary<string, Lazy<SdkPackage>> Loaded =
        Packages.ToDictionary(p => p, p => new Lazy<SdkPackage>(() => SdkPackage.Read(Tarball(p))), StringComparer.Ordinal);

    public static string Folder => Path.Combine(
        Repo.Shared ?? throw new InvalidOperationException("the pinned SDKs live in ../shared/upstream/pulumi/npm beside the repository (or under MESHSTACK_SHARED)"),
        "upstream", "pulumi", "npm");

    /// <summary>The SDK of a package at the pinned plugin version, or null for a package the program may not use.</summary>
    public static SdkPackage? For(string package) => Loaded.TryGetValue(package, out var sdk) ? sdk.Value : null;

    /// <summary><c>pulumi-&lt;package&gt;-&lt;pinned version&gt;.tgz</c>, as <c>npm pack @pulumi/&lt;package&gt;@&lt;version&gt;</c> names it.</summary>
    public static string Tarball(string package)
    {
        var path = Path.Combine(Folder, $"pulumi-{package}-{PluginVersions.For(package)}.tgz");
        if (File.Exists(path)) return path;
        var present = Directory.Exists(Folder) ? string.Join(", ", Directory.GetFiles(Folder, "*.tgz").Select(Path.GetFileName)) : "no such folder";
        throw new FileNotFoundException(
            $"no SDK tarball for {package} {PluginVersions.For(package)} in {Folder} (present: {present}); " +
            $"run 'npm pack @pulumi/{package}@{PluginVersions.For(package)}' in that folder", path);
    }
}
