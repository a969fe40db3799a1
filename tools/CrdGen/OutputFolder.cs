using System.Text;

namespace MeshStack.CrdGen;

/// <summary>Compares generated files with an output folder, and optionally makes the folder match.</summary>
public static class OutputFolder
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Lists every difference between <paramref name="folder"/> and <paramref name="files"/> ("changed:",
    /// "added:", "removed:" and a relative path). With <paramref name="write"/>, also rewrites changed files
    /// (unchanged files keep their timestamps, so builds stay incremental) and deletes stale generated files.
    /// </summary>
    public static IReadOnlyList<string> Sync(string folder, IReadOnlyList<GeneratedFile> files, bool write)
    {
        var differences = new List<string>();
        var expected = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file.Path);
            if (!File.Exists(path))
            {
                differences.Add($"added: {file.Path}");
            }
            else if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(Utf8NoBom.GetBytes(file.Content)))
            {
                differences.Add($"changed: {file.Path}");
            }
            else
            {
                continue;
            }
            if (write)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Content, Utf8NoBom);
            }
        }
        if (Directory.Exists(folder))
        {
            var stale = Directory.EnumerateFiles(folder, "*.g.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Where(f => !expected.Contains(f))
                .Order(StringComparer.Ordinal);
            foreach (var file in stale)
            {
                differences.Add($"removed: {file}");
                if (write)
                {
                    File.Delete(Path.Combine(folder, file));
                }
            }
        }
        return differences;
    }
}
