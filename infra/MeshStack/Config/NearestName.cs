namespace MeshStack.Config;

/// <summary>Suggests the known name closest to a typo (Levenshtein distance, small edits only).</summary>
public static class NearestName
{
    public static string? For(string typo, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var d = Distance(typo.ToLowerInvariant(), name.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (name, d);
        }
        // a suggestion further away than a third of the word is noise, not help
        return best is not null && bestDistance <= Math.Max(2, typo.Length / 3) ? best : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps ("mtsl" → "mtls" is one).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
