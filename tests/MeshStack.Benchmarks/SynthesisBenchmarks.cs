using BenchmarkDotNet.Attributes;
using MeshStack.Analysis;
using MeshStack.Cli;
using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Benchmarks;

/// <summary>
/// In-process cost of the whole pure pipeline (bind config, synthesize, emit program and manifests):
/// what every compiler call pays after process start. Scaling rows show cost against services × clusters.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ProdSynthesisBenchmark
{
    private RawConfig _prod = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = ProjectRoot.Find(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("run from inside the repository");
        _prod = StackFile.Load(Path.Combine(root, "Pulumi.prod.yaml"));
    }

    /// <summary>What each compiler call does after process start: bind, synthesize, every analysis rule, program text.</summary>
    [Benchmark(Baseline = true, Description = "prod program (2 clusters, 5 services)")]
    public EmittedStack Prod() => new StackInput("prod", _prod, EcommerceApp.Declare()).Analyze(withManifests: false).Emitted;

    /// <summary>`render`: the same plus every manifest's text.</summary>
    [Benchmark(Description = "prod render (program + manifests)")]
    public EmittedStack ProdRender() => new StackInput("prod", _prod, EcommerceApp.Declare()).Analyze(withManifests: true).Emitted;

    /// <summary>The program without the analysis (the policy pack only): what the rules add is the difference to the baseline.</summary>
    [Benchmark(Description = "prod program, policy pack only")]
    public EmittedStack ProdWithoutAnalysis() => new StackInput("prod", _prod, EcommerceApp.Declare()).Emit(out _, withManifests: false);
}

/// <summary>
/// Cost against services × clusters: it should grow linearly in their product. The compiler row is what each call does
/// (every analysis rule runs on every call); the synthesis row leaves the analysis out, to tell the two apart.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ScalingBenchmarks
{
    private RawConfig _scaled = null!;
    private AppTopology _topology = null!;

    [Params(25, 50, 100)]
    public int Services { get; set; }

    [Params(1, 3)]
    public int Clusters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var clusters = string.Join(",", Enumerable.Range(0, Clusters).Select(i => $$"""{"name":"c{{i}}","context":"ctx-{{i}}","network":"net-{{i}}","server":"https://c{{i}}.example.com:6443"}"""));
        _scaled = RawConfig.FromEngineJson($$"""{"mesh-stack:mesh":"istio","mesh-stack:replicas":"3","mesh-stack:clusters":"[{{clusters.Replace("\"", "\\\"")}}]"}""");
        _topology = SyntheticTopology.Create(Services);
    }

    [Benchmark(Baseline = true, Description = "compiler call: synthesis, analysis, program")]
    public (EmittedStack, AnalysisReport) Compiler() => new StackInput("scale", _scaled, _topology).Analyze(withManifests: false);

    [Benchmark(Description = "synthesis and program only")]
    public EmittedStack Scaled()
    {
        var config = StackConfigBinder.Bind("scale", _scaled, _topology);
        return StackEmitter.Emit(StackSynthesizer.Synthesize(config), [], withManifests: false);
    }
}
