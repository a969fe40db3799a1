namespace MeshStack.Tests.Support;

/// <summary>The contract for bad config: render exits 2, names the key path on stderr, prints nothing and writes nothing.</summary>
public static class Rejection
{
    public static void AssertRenderRejects(string why, string stackYaml, string expected)
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.bad.yaml");
        File.WriteAllText(file, stackYaml);
        var outDir = Path.Combine(dir, "out");

        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);

        Assert.True(result.ExitCode == 2, $"{why}: exit {result.ExitCode}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.False(Directory.Exists(outDir), $"{why}: render wrote {outDir}");
        Assert.Equal(["Pulumi.bad.yaml"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }
}
