using System.Collections.Concurrent;
using MeshStack.Cli;
using MeshStack.Output;

namespace MeshStack.Tests.Support;

/// <summary>Each corpus stack emitted once per test run (program and manifests), shared by every contract test.</summary>
public static class CorpusRender
{
    private static readonly ConcurrentDictionary<string, Lazy<EmittedStack>> Cache = new(StringComparer.Ordinal);

    public static EmittedStack Of(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<EmittedStack>(() => Emit(StackCorpus.Get(n)))).Value;

    public static EmittedStack Emit(StackCorpus.Entry entry)
    {
        // a stack file's own name matters (the prod-only policy rules): keep it for the repository's stacks
        var stack = entry.Name.StartsWith("stack:", StringComparison.Ordinal) ? entry.Name["stack:".Length..] : "gen";
        var dir = Repo.TempDir();
        var path = Path.Combine(dir, $"Pulumi.{stack}.yaml");
        File.WriteAllText(path, entry.Yaml);
        return StackInput.FromFile(path).Emit();
    }
}
