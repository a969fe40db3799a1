namespace MeshStack.Tests.Support;

/// <summary>Every entry under a folder with its bytes (files) or link target (symbolic links): equal snapshots, identical folders.</summary>
public sealed record FolderSnapshot(IReadOnlyDictionary<string, string> Entries)
{
    /// <param name="contents">
    /// False: each file is recorded by its size and last write time (to the tick) instead of its bytes, a cheap check
    /// for loops that compare thousands of times.
    /// </param>
    public static FolderSnapshot Of(string folder, bool contents = true)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return new FolderSnapshot(entries);
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var dir))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var relative = Path.GetRelativePath(folder, entry);
                var info = new FileInfo(entry);
                if (info.LinkTarget is { } link) entries[relative] = $"-> {link}";
                else if (Directory.Exists(entry)) { entries[relative] = "<dir>"; pending.Push(entry); }
                else entries[relative] = contents ? Convert.ToBase64String(File.ReadAllBytes(entry)) : $"{info.Length} {info.LastWriteTimeUtc.Ticks}";
            }
        }
        return new FolderSnapshot(entries);
    }

    /// <summary>Asserts nothing was added, removed or changed, naming the first difference.</summary>
    public void AssertSame(FolderSnapshot after, string why)
    {
        var added = after.Entries.Keys.Except(Entries.Keys).ToList();
        var removed = Entries.Keys.Except(after.Entries.Keys).ToList();
        var changed = Entries.Keys.Intersect(after.Entries.Keys).Where(k => Entries[k] != after.Entries[k]).ToList();
        Assert.True(added.Count + removed.Count + changed.Count == 0,
            $"{why}: added [{string.Join(", ", added.Take(5))}] removed [{string.Join(", ", removed.Take(5))}] changed [{string.Join(", ", changed.Take(5))}]");
    }
}
