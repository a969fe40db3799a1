using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>Bad arguments: exit 1 with a message about the argument, never an internal one (a .NET parameter name, a length).</summary>
public class CommandArgumentTests
{
    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["render", "--config", "Pulumi.yaml"], "stack config file 'Pulumi.yaml' must be named Pulumi.<stack>.yaml (Pulumi.yaml is the project file, not a stack)" },
        { ["render", "--config", "stacks"], "is a folder: give a Pulumi.<stack>.yaml file" },
        { ["render", "--config", "Pulumi.missing.yaml"], "Pulumi.missing.yaml' does not exist" },
        { ["render", "--config", "notes.txt"], "stack config file 'notes.txt' must be named Pulumi.<stack>.yaml" },
        { ["render", "--config"], "--config needs a value" },
        { ["render", "dev", "--out"], "--out needs a value" },
        { ["render", "dev", "--bogus"], "unknown option '--bogus'" },
        { ["render"], "render takes a stack name or --config FILE" },
        { ["deploy"], "unknown command 'deploy'" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_exit_1_with_a_message_about_them(string[] args, string expected)
    {
        var dir = Repo.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "stacks"));
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a stack");
        File.WriteAllText(Path.Combine(dir, "Pulumi.yaml"), "name: mesh-stack\n");
        var before = FolderSnapshot.Of(dir);

        var result = InProcess.Run(dir, null, args);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Parameter", result.Stderr);
        Assert.DoesNotContain("non-negative", result.Stderr);
        before.AssertSame(FolderSnapshot.Of(dir), string.Join(' ', args));
    }
}
