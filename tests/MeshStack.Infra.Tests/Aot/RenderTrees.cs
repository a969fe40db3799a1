namespace MeshStack.Tests.Aot;

/// <summary>Byte-for-byte comparison of two render directories.</summary>
public static class RenderTrees
{
    /// <summary>Every file only in one tree, and every file whose bytes differ (with the first differing offset).</summary>
    public static IReadOnlyList<string> Differences(string expectedDir, string actualDir)
    {
        var expected = Files(expectedDir);
        var actual = Files(actualDir);
        var differences = new List<string>();
        differences.AddRange(expected.Except(actual, StringComparer.Ordinal).Select(f => $"missing: {f}"));
        differences.AddRange(actual.Except(expected, StringComparer.Ordinal).Select(f => $"extra: {f}"));
        foreach (var file in expected.Intersect(actual, StringComparer.Ordinal))
        {
            var a = File.ReadAllBytes(Path.Combine(expectedDir, file));
            var b = File.ReadAllBytes(Path.Combine(actualDir, file));
            var at = a.AsSpan().CommonPrefixLength(b);
            if (at < a.Length || at < b.Length) differences.Add($"differs at byte {at}: {file}");
        }
        return differences;
    }

    private static List<string> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
}
