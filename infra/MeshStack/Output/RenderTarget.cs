namespace MeshStack.Output;

/// <summary>Raised when <c>--out</c> names a folder that a render must not replace; exit code 1, nothing touched.</summary>
public sealed class RenderTargetException(string message) : Exception(message);

/// <summary>
/// Decides whether a folder may receive a render. A render replaces the whole folder, so it may only ever replace a
/// render: an absent or empty folder, one holding the <see cref="RenderDirectory.Marker"/> file that every render
/// writes, or one laid out exactly as a render from before the marker. The working directory, the project and the stack file's folder (and every folder above them) are never
/// targets, and neither is a symbolic link: the swap would replace the link, not the folder it points to.
/// </summary>
public static class RenderTarget
{
    /// <param name="requested">The folder as the user wrote it (relative to <paramref name="workingDirectory"/>).</param>
    /// <param name="protectedFolders">Folders the render must never replace or contain: the working directory, the project root, the stack file's folder.</param>
    /// <returns>The absolute path to render into.</returns>
    public static string Check(string requested, string workingDirectory, IEnumerable<string> protectedFolders)
    {
        if (string.IsNullOrWhiteSpace(requested))
            throw new RenderTargetException("--out is empty: name the folder to render into, e.g. --out out/dev");
        var full = Trim(Path.GetFullPath(requested, workingDirectory));
        if (Path.GetPathRoot(full) == full || Path.GetDirectoryName(full) is null)
            throw new RenderTargetException($"--out '{requested}' is the file system root: a render replaces the folder it is given; choose a new or empty folder, e.g. --out out/dev");

        var info = new DirectoryInfo(full);
        if (info.LinkTarget is { } link)
            throw new RenderTargetException($"--out '{full}' is a symbolic link (to {link}): a render would replace the link itself; give the folder it points to, or a new folder");
        if (File.Exists(full))
            throw new RenderTargetException($"--out '{full}' is a file, not a folder: choose a new or empty folder");

        var real = RealPath(full);
        foreach (var folder in protectedFolders.Select(f => RealPath(Trim(Path.GetFullPath(f)))).Distinct(StringComparer.Ordinal))
        {
            if (real == folder || folder.StartsWith(real + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new RenderTargetException($"--out '{full}' {(real == folder ? "is" : "contains")} {folder}, which holds your files (working directory, project or stack file): a render replaces the whole folder; choose a folder of its own, e.g. --out out/dev");
        }

        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, RenderDirectory.Marker)) && !IsUnmarkedRender(full))
            throw new RenderTargetException($"--out '{full}' is not empty and is not a MeshStack render (it has no {RenderDirectory.Marker} file): a render replaces only an earlier render; choose a new or empty folder, or move those files away yourself");
        return full;
    }

    /// <summary>
    /// A render made before renders were marked: exactly <c>Main.yaml</c> and <c>manifests/&lt;cluster&gt;/*.yaml</c>,
    /// nothing else. Replacing it loses nothing that a render would not write again.
    /// </summary>
    private static bool IsUnmarkedRender(string folder)
    {
        var entries = Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (!entries.SequenceEqual(["Main.yaml", "manifests"]) || !File.Exists(Path.Combine(folder, "Main.yaml"))) return false;
        var manifests = Path.Combine(folder, "manifests");
        if (!Directory.Exists(manifests) || new DirectoryInfo(manifests).LinkTarget is not null || Directory.EnumerateFiles(manifests).Any()) return false;
        return Directory.EnumerateDirectories(manifests).All(cluster =>
            new DirectoryInfo(cluster).LinkTarget is null && !Directory.EnumerateDirectories(cluster).Any()
            && Directory.EnumerateFiles(cluster).All(f => f.EndsWith(".yaml", StringComparison.Ordinal)));
    }

    private static string Trim(string path)
    {
        var trimmed = path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return trimmed.Length == 0 ? Path.GetPathRoot(path) ?? path : trimmed;
    }

    /// <summary>The path with every symbolic link along it resolved, so two spellings of one folder compare equal.</summary>
    internal static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        // a cycle of links cannot make this loop forever: each part is resolved once, and ResolveLinkTarget follows at most the OS limit
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo? target = null;
            try { target = new DirectoryInfo(next).LinkTarget is null ? null : Directory.ResolveLinkTarget(next, returnFinalTarget: true); }
            catch (IOException) { }
            current = target is null ? next : Trim(target.FullName);
        }
        return current;
    }
}
