using System.Runtime.InteropServices;

namespace MeshStack.Output;

/// <summary>The two C library calls .NET has no API for: an atomic exchange of two folders, and "may I write here".</summary>
internal static class NativeFiles
{
    public const int AtFdCwd = -100;
    public const uint RenameExchange = 2;
    private const int WriteOk = 2;

    [DllImport("libc", SetLastError = true)]
    public static extern int renameat2(int olddirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, int newdirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    /// <summary>Whether this process may create and remove entries in <paramref name="folder"/> (as the kernel decides: owner, mode, root, read-only mounts).</summary>
    public static bool CanWrite(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return true; // elsewhere the write itself reports it
        try
        {
            return access(folder, WriteOk) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return true;
        }
    }
}
