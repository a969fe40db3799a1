namespace MeshStack.Output;

/// <summary>
/// Writes <c>Main.yaml</c> and <c>manifests/&lt;cluster&gt;/</c> so that the target directory is either the old
/// tree or the complete new one: everything goes to a sibling temp directory first, then is swapped in.
/// </summary>
public static class RenderDirectory
{
    public static void Write(EmittedStack stack, string target)
    {
        target = Path.GetFullPath(target.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"cannot render into '{target}'");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.rendering-{Environment.ProcessId}");
        var retired = Path.Combine(parent, $".{Path.GetFileName(target)}.old-{Environment.ProcessId}");
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            File.WriteAllText(Path.Combine(staging, "Main.yaml"), stack.ProgramYaml);
            foreach (var m in stack.Manifests)
            {
                var dir = Path.Combine(staging, "manifests", m.Cluster);
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, m.FileName), m.Yaml);
            }
            if (Directory.Exists(target))
            {
                Directory.Move(target, retired);
                Directory.Move(staging, target);
                Directory.Delete(retired, recursive: true);
            }
            else
            {
                Directory.Move(staging, target);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            // a failed swap puts the old tree back rather than leaving nothing
            if (Directory.Exists(retired) && !Directory.Exists(target)) Directory.Move(retired, target);
            else if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
        }
    }
}
