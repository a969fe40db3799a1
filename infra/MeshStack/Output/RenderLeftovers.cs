using System.Diagnostics;

namespace MeshStack.Output;

/// <summary>
/// The sibling folders a render works in: <c>.&lt;name&gt;.rendering-&lt;pid&gt;</c> (the new tree, or after an exchange
/// the old one) and <c>.&lt;name&gt;.old-&lt;pid&gt;</c> (the old tree while two renames swap it). A render killed
/// part-way leaves them behind; the next render of the same folder restores or removes them.
/// </summary>
internal sealed record RenderLeftovers(string Target)
{
    private string Parent => Path.GetDirectoryName(Target)!;
    private string Name => Path.GetFileName(Target);

    public string Staging(int pid) => Path.Combine(Parent, $".{Name}.rendering-{pid}");
    public string Aside(int pid) => Path.Combine(Parent, $".{Name}.old-{pid}");

    /// <summary>
    /// Leftovers of renders whose process is gone: an old tree set aside while the target is missing goes back
    /// (the process died between two renames); everything else is removed. A folder is only removed when it is
    /// empty or holds the render marker, so nothing of the user's is ever deleted.
    /// </summary>
    public void Clean()
    {
        if (!Directory.Exists(Parent)) return;
        foreach (var dir in Directory.EnumerateDirectories(Parent, $".{Name}.*-*"))
        {
            if (OwnerPid(Path.GetFileName(dir)) is not { } pid || IsRunning(pid) || !IsOurs(dir)) continue;
            if (dir == Aside(pid) && !Directory.Exists(Target)) Directory.Move(dir, Target);
            else Directory.Delete(dir, recursive: true);
        }
    }

    private int? OwnerPid(string folderName)
    {
        foreach (var kind in new[] { "rendering", "old" })
        {
            var prefix = $".{Name}.{kind}-";
            if (folderName.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(folderName[prefix.Length..], out var pid)) return pid;
        }
        return null;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return false; // a leftover with our own id is from a dead process that had it before
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsOurs(string dir) =>
        File.Exists(Path.Combine(dir, RenderDirectory.Marker)) || !Directory.EnumerateFileSystemEntries(dir).Any();
}
