namespace MeshStack.Tests.Support;

/// <summary>
/// The tests' own stack files (<c>tests/MeshStack.Infra.Tests/Fixtures/Stacks/Pulumi.&lt;stack&gt;.yaml</c>), copies of the
/// repository's stacks taken when the tests were written. Tests that assert values of a stack (a weight, a replica
/// count, an edge host) read these, so editing the repository's <c>Pulumi.&lt;stack&gt;.yaml</c> as the README describes
/// breaks no test; the repository's files themselves are checked for behaviour only (<see cref="StackCorpus"/>).
/// </summary>
public static class StackFixtures
{
    public static string Folder { get; } = Path.Combine(Repo.Root, "tests", "MeshStack.Infra.Tests", "Fixtures", "Stacks");

    public static string File(string stack)
    {
        var path = Path.Combine(Folder, $"Pulumi.{stack}.yaml");
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"no test fixture for stack '{stack}' (add {path})", path);
    }

    public static string Text(string stack) => System.IO.File.ReadAllText(File(stack));

    /// <summary>The fixture stacks' names (dev, prod, ...), in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        Directory.GetFiles(Folder, "Pulumi.*.yaml").Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToList();
}
