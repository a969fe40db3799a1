using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Security.Policy;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Cli;

/// <summary>Where a run's config comes from: a stack file or the engine's environment.</summary>
public sealed record StackInput(string Stack, RawConfig Raw)
{
    public static StackInput FromFile(string path) => new(StackFile.StackNameOf(path), StackFile.Load(path));

    /// <summary>Binds, synthesizes, checks the policy pack and emits: the whole pure pipeline.</summary>
    public EmittedStack Emit() => Emit(out _);

    /// <summary>
    /// As <see cref="Emit()"/>; <paramref name="policy"/> carries the findings of rules the stack lowered to warnings.
    /// <paramref name="withManifests"/> is false for the compiler, which needs only the program.
    /// </summary>
    public EmittedStack Emit(out PolicyReport policy, bool withManifests = true)
    {
        var config = StackConfigBinder.Bind(Stack, Raw);
        var topology = AppTopology.Ecommerce();
        var graph = StackSynthesizer.Synthesize(config, topology);
        policy = PolicyPack.Run(config, topology, graph);
        policy.ThrowIfErrors();
        return StackEmitter.Emit(graph, Raw.Values.Select(p => p.Key), withManifests);
    }
}
