using MeshStack.Analysis;
using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Security.Policy;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Cli;

/// <summary>
/// Where a run's config comes from (a stack file or the engine's environment) and the host's application, which the
/// stack's <c>mesh-stack:app</c> may replace.
/// </summary>
public sealed record StackInput(string Stack, RawConfig Raw, AppTopology Application)
{
    public static StackInput FromFile(string path, AppTopology application) => new(StackFile.StackNameOf(path), StackFile.Load(path), application);

    /// <summary>The host's patches on emitted objects, applied as each is made (none by default).</summary>
    public StackCustomizations? Customizations { get; init; }

    /// <summary>The typed, validated config (throws <see cref="ConfigException"/> with every problem).</summary>
    public StackConfig Bind() => StackConfigBinder.Bind(Stack, Raw, Application);

    /// <summary>Binds, synthesizes, checks the policy pack and emits: the whole pure pipeline.</summary>
    public EmittedStack Emit() => Emit(out _);

    /// <summary>
    /// As <see cref="Emit()"/>; <paramref name="policy"/> carries the findings of rules the stack lowered to warnings.
    /// <paramref name="withManifests"/> is false for the compiler, which needs only the program.
    /// </summary>
    public EmittedStack Emit(out PolicyReport policy, bool withManifests = true)
    {
        var config = Bind();
        var graph = StackSynthesizer.Synthesize(config, Customizations);
        policy = PolicyPack.Run(config, config.App, graph);
        policy.ThrowIfErrors();
        return StackEmitter.Emit(graph, Raw.Values.Select(p => p.Key), withManifests);
    }

    /// <summary>
    /// Binds, synthesizes, runs every analysis rule (the policy pack included) and emits, without refusing anything:
    /// the caller decides what an error finding means (<c>check</c> reports it, <c>render</c> and <c>program</c> fail).
    /// </summary>
    public (EmittedStack Emitted, AnalysisReport Report) Analyze(bool withManifests = true)
    {
        var (model, graph) = Synthesize();
        return (StackEmitter.Emit(graph, Raw.Values.Select(p => p.Key), withManifests), Analyzer.Run(model));
    }

    /// <summary>The render as the rules read it, in memory (nothing emitted).</summary>
    public RenderModel Model() => Synthesize().Model;

    private (RenderModel Model, Graph.ResourceGraph Graph) Synthesize()
    {
        var config = Bind();
        var graph = StackSynthesizer.Synthesize(config, Customizations);
        return (RenderModel.FromGraph(config, config.App, graph), graph);
    }
}
