using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Cli;

/// <summary>Where a run's config comes from: a stack file or the engine's environment.</summary>
public sealed record StackInput(string Stack, RawConfig Raw)
{
    public static StackInput FromFile(string path) => new(StackFile.StackNameOf(path), StackFile.Load(path));

    /// <summary>Binds, synthesizes and emits: the whole pure pipeline.</summary>
    public EmittedStack Emit()
    {
        var config = StackConfigBinder.Bind(Stack, Raw);
        var graph = StackSynthesizer.Synthesize(config, AppTopology.Ecommerce());
        return StackEmitter.Emit(graph, Raw.Values.Select(p => p.Key));
    }
}
