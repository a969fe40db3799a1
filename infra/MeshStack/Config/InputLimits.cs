namespace MeshStack.Config;

/// <summary>
/// Bounds on stack config, checked while it is read so that input past them is refused in milliseconds instead of
/// exhausting time or memory (an alias bomb, a megabyte key, hundreds of clusters). Documented in README, "Limits".
/// </summary>
public static class InputLimits
{
    /// <summary>A stack file larger than this is not read. The largest example stack file is under 2 KB.</summary>
    public const int DocumentBytes = 1024 * 1024;

    /// <summary>Nesting of lists and objects; the stack config needs six. Checked before any recursion.</summary>
    public const int Depth = 32;

    /// <summary>Values in the whole document after every alias is expanded (an alias counts the values it repeats).</summary>
    public const int Values = 10_000;

    /// <summary>Characters in a key.</summary>
    public const int KeyLength = 256;

    /// <summary>Characters in a value; an encrypted (<c>secure:</c>) value may use the whole document.</summary>
    public const int ValueLength = 64 * 1024;

    /// <summary>Clusters of one stack: every pair of clusters is wired to each other, so the program grows with the square.</summary>
    public const int Clusters = 20;

    /// <summary>Items of any other list or map in the config (faults, edge hosts, namespaces, claims, ...).</summary>
    public const int Items = 100;
}
