using System.Collections.Concurrent;
using MeshStack.Cli;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Output;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Tests.Support;

/// <summary>Each corpus stack emitted once per test run (program and manifests), shared by every contract test.</summary>
public static class CorpusRender
{
    private static readonly ConcurrentDictionary<string, Lazy<EmittedStack>> Cache = new(StringComparer.Ordinal);

    public static EmittedStack Of(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<EmittedStack>(() => Emit(StackCorpus.Get(n)))).Value;

    private static readonly ConcurrentDictionary<string, Lazy<(StackConfig, ResourceGraph)>> Graphs = new(StringComparer.Ordinal);

    /// <summary>A corpus stack's bound config and resource graph, for tests that follow requests through the typed objects.</summary>
    public static (StackConfig Config, ResourceGraph Graph) GraphOf(string name) =>
        Graphs.GetOrAdd(name, n => new Lazy<(StackConfig, ResourceGraph)>(() =>
        {
            var entry = StackCorpus.Get(n);
            var input = Stacks.FromYaml(entry.Yaml, entry.StackName);
            var config = input.Bind();
            return (config, StackSynthesizer.Synthesize(config));
        })).Value;

    public static EmittedStack Emit(StackCorpus.Entry entry)
    {
        var path = Path.Combine(Repo.TempDir(), $"Pulumi.{entry.StackName}.yaml");
        File.WriteAllText(path, entry.Yaml);
        return StackInput.FromFile(path, EcommerceApp.Declare()).Emit();
    }
}
