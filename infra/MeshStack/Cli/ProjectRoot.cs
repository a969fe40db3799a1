namespace MeshStack.Cli;

/// <summary>Finds the directory holding this project's <c>Pulumi.yaml</c>, where the stack config files live.</summary>
public static class ProjectRoot
{
    public static string? Find(params string[] startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var file = Path.Combine(dir.FullName, "Pulumi.yaml");
                if (File.Exists(file) && IsOurs(file)) return dir.FullName;
            }
        }
        return null;
    }

    private static bool IsOurs(string pulumiYaml) =>
        File.ReadLines(pulumiYaml).Any(l => l.Trim() == $"name: {Config.ConfigKeys.Project}");
}
