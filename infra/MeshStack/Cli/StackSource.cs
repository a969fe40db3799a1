namespace MeshStack.Cli;

/// <summary>A stack named on the command line: <c>&lt;stack&gt;</c> (Pulumi.&lt;stack&gt;.yaml at the project root) or <c>--config FILE</c>.</summary>
public sealed record StackSource(string Path, StackInput Input)
{
    /// <summary>Null when neither is given.</summary>
    public static StackSource? Resolve(string? stack, string? configFile, string workingDirectory, Topology.AppTopology application,
        Synthesis.StackCustomizations? customizations = null)
    {
        string path;
        if (configFile is not null) path = System.IO.Path.GetFullPath(configFile, workingDirectory);
        else if (stack is not null)
        {
            var root = ProjectRoot.Find(workingDirectory)
                ?? throw new IOException("no Pulumi.yaml of this project in or above the working directory");
            path = System.IO.Path.Combine(root, $"Pulumi.{stack}.yaml");
        }
        else return null;
        if (!File.Exists(path)) throw new IOException($"stack config '{path}' does not exist");
        return new StackSource(path, StackInput.FromFile(path, application) with { Customizations = customizations });
    }
}
