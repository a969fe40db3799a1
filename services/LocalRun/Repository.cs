namespace MeshStack.LocalRun;

public static class Repository
{
    /// <summary>The folder holding MeshStack.sln, found upwards from this program.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MeshStack.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MeshStack.sln not found above " + AppContext.BaseDirectory);
    }
}
