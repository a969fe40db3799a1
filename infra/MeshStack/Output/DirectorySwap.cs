namespace MeshStack.Output;

/// <summary>
/// Puts a complete folder in place of another. On Linux the two are exchanged in one <c>renameat2(RENAME_EXCHANGE)</c>,
/// so the target is never missing; elsewhere (or on a file system without it) the old folder is renamed aside first,
/// and <see cref="RenderLeftovers"/> puts it back if the process dies between the two renames.
/// </summary>
internal static class DirectorySwap
{
    /// <summary>Swaps <paramref name="staged"/> into <paramref name="target"/>; afterwards the old tree is at <paramref name="staged"/> or <paramref name="aside"/>.</summary>
    /// <returns>Where the old tree now is, or null when there was none.</returns>
    public static string? Replace(string staged, string target, string aside)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staged, target);
            return null;
        }
        if (TryExchange(staged, target)) return staged;
        Directory.Move(target, aside);
        Directory.Move(staged, target);
        return aside;
    }

    private static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return NativeFiles.renameat2(NativeFiles.AtFdCwd, a, NativeFiles.AtFdCwd, b, NativeFiles.RenameExchange) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // a C library without renameat2: fall back to two renames
        }
    }
}
