namespace MeshStack.Output;

/// <summary>
/// Writes <c>Main.yaml</c> and <c>manifests/&lt;cluster&gt;/</c> so that the target folder is always either the old
/// render or the complete new one: the new tree is written to a sibling folder, then swapped in
/// (<see cref="DirectorySwap"/>). Every render carries <see cref="Marker"/>, which is what lets a later render replace it
/// (<see cref="RenderTarget"/>).
/// </summary>
public static class RenderDirectory
{
    /// <summary>The file that marks a folder as a MeshStack render, and so as replaceable by the next one.</summary>
    public const string Marker = ".meshstack-render";

    /// <param name="target">A folder already accepted by <see cref="RenderTarget.Check"/>.</param>
    /// <param name="pause">Test hook: called with "staged" before the swap and "swapped" before the old tree is removed.</param>
    /// <returns>A warning when the old tree could not be removed (the next render removes it), else null.</returns>
    public static string? Write(EmittedStack stack, string stackName, string target, Action<string>? pause = null)
    {
        var leftovers = new RenderLeftovers(target);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        CheckWritable(parent, target);
        leftovers.Clean();
        var staging = leftovers.Staging(Environment.ProcessId);
        var aside = leftovers.Aside(Environment.ProcessId);
        string? old = null;
        try
        {
            CreateStaging(staging, parent, target);
            // the marker comes first: a staging folder left by a killed run is recognisably ours and is cleaned up
            File.WriteAllText(Path.Combine(staging, Marker),
                $"MeshStack render of stack {stackName}. The next render replaces this whole folder; do not keep other files here.\n");
            File.WriteAllText(Path.Combine(staging, "Main.yaml"), stack.ProgramYaml);
            foreach (var m in stack.Manifests)
            {
                var dir = Path.Combine(staging, "manifests", m.Cluster);
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, m.FileName), m.Yaml);
            }
            pause?.Invoke("staged");
            old = DirectorySwap.Replace(staging, target, aside);
            pause?.Invoke("swapped");
        }
        finally
        {
            // a failed swap puts the old tree back rather than leaving nothing
            if (Directory.Exists(aside) && !Directory.Exists(target)) Directory.Move(aside, target);
            if (old is null && Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        // the new render is in place; the old tree goes, and if it cannot, the next render removes it
        try
        {
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the previous render, moved to {old}, could not be removed ({e.Message}); the next render removes it";
        }
    }

    /// <summary>The new tree is written beside the target; a folder that takes no new folders (/proc, /sys, read-only) is refused in those terms.</summary>
    private static void CreateStaging(string staging, string parent, string target)
    {
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e is UnauthorizedAccessException ? "permission denied" : "the file system does not allow it";
            throw new RenderTargetException($"cannot render into '{target}': a new folder cannot be created in {parent} ({why}); choose a folder on a writable file system");
        }
    }

    /// <summary>
    /// Refuses before anything is written when the swap could not finish: the parent must take the new folder, and
    /// every folder of the old render must let its files be removed.
    /// </summary>
    private static void CheckWritable(string parent, string target)
    {
        if (!NativeFiles.CanWrite(parent))
            throw new RenderTargetException($"cannot render into '{target}': its folder {parent} is not writable for this user");
        if (!Directory.Exists(target)) return;
        foreach (var dir in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).Prepend(target))
        {
            if (!NativeFiles.CanWrite(dir))
                throw new RenderTargetException($"cannot replace the render in '{target}': {dir} is read-only for this user, so the old render could not be removed; make it writable (chmod -R u+w) or choose another folder");
        }
    }
}
