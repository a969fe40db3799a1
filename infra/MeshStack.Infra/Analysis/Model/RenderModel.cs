using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Meshes;
using MeshStack.Security.Policy;
using MeshStack.Topology;

namespace MeshStack.Analysis;

/// <summary>
/// What the rules read: every rendered Kubernetes object (ConfigGroup contents included), the Helm releases with their
/// values, and, when the stack was rendered here rather than read from a directory, the stack config.
/// </summary>
public sealed class RenderModel
{
    public RenderModel(string stack, StackConfig? config, AppTopology topology, IMeshAnalysis mesh, IReadOnlyList<string> clusters,
        IReadOnlyList<RenderedObject> objects, IReadOnlyList<HelmRelease> releases, IReadOnlyList<ProgramResource>? tlsResources = null)
    {
        Stack = stack;
        Config = config;
        Topology = topology;
        Mesh = mesh;
        Clusters = clusters;
        Objects = objects;
        Releases = releases;
        TlsResources = tlsResources ?? [];
        Policy = new PolicyContext(config, topology, objects);
        Pods = WorkloadPod.In(Policy).ToList();
        // rules ask for objects by kind and cluster many times over: index once
        byKind = objects.GroupBy(o => o.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        byCluster = objects.GroupBy(o => o.Cluster, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(o => o.Object).ToList(), StringComparer.Ordinal);
        chartWorkloads = new Lazy<IReadOnlyList<ChartWorkload>>(() => ChartWorkload.In(this).ToList());
    }

    private readonly Dictionary<string, List<RenderedObject>> byKind;
    private readonly Dictionary<string, List<JsonObject>> byCluster;
    private readonly Lazy<IReadOnlyList<ChartWorkload>> chartWorkloads;

    /// <summary>Pods that Helm charts or controllers make (not rendered, but selectable).</summary>
    public IReadOnlyList<ChartWorkload> ChartWorkloads => chartWorkloads.Value;

    /// <summary>The objects of one cluster, as the simulators take them.</summary>
    public IReadOnlyList<JsonObject> ObjectsIn(string cluster) => byCluster.TryGetValue(cluster, out var list) ? list : [];

    public string Stack { get; }
    public StackConfig? Config { get; }
    public AppTopology Topology { get; }
    public IMeshAnalysis Mesh { get; }
    public IReadOnlyList<string> Clusters { get; }
    public IReadOnlyList<RenderedObject> Objects { get; }
    public IReadOnlyList<HelmRelease> Releases { get; }

    /// <summary>The program's tls provider resources (keys, certificates, requests): the meshes' roots and intermediates.</summary>
    public IReadOnlyList<ProgramResource> TlsResources { get; }

    /// <summary>The tls resource a <c>${name.property}</c> reference points at, or null.</summary>
    public ProgramResource? TlsResource(string? name) => name is null ? null : TlsResources.FirstOrDefault(r => r.Name == name);

    /// <summary>CRD schemas whose CEL rules MS108 evaluates (from <c>check --crds</c>); none by default.</summary>
    public IReadOnlyList<Cel.CrdSchema> Crds { get; init; } = [];

    /// <summary>The same objects as the policy pack sees them.</summary>
    public PolicyContext Policy { get; }

    /// <summary>Every rendered pod template (Deployments, StatefulSets, ...).</summary>
    public IReadOnlyList<WorkloadPod> Pods { get; }

    public IEnumerable<RenderedObject> OfKind(string group, string kind) =>
        byKind.TryGetValue(kind, out var list) ? list.Where(o => o.Is(group, kind)) : [];

    public IEnumerable<RenderedObject> OfKind(string group, string kind, string cluster) =>
        OfKind(group, kind).Where(o => o.Cluster == cluster);

    /// <summary>The rendered pod templates in a namespace of a cluster whose labels a selector matches.</summary>
    public IEnumerable<WorkloadPod> PodsSelectedBy(string cluster, string? ns, JsonObject? matchLabels) =>
        Pods.Where(p => p.Owner.Cluster == cluster && p.Owner.Namespace == ns && LabelSelector.Matches(matchLabels, p.Labels));

    /// <summary>Namespaces a Helm chart installs into: objects there may be made by the chart, which this model cannot see.</summary>
    public bool IsChartNamespace(string cluster, string? ns) => Releases.Any(r => r.Cluster == cluster && r.Namespace == ns);

    /// <summary>The same render with CRD schemas to validate against.</summary>
    public RenderModel WithCrds(IReadOnlyList<Cel.CrdSchema> crds) =>
        new(Stack, Config, Topology, Mesh, Clusters, Objects, Releases, TlsResources) { Crds = crds };

    /// <summary>The model of a stack rendered in memory.</summary>
    public static RenderModel FromGraph(StackConfig config, AppTopology topology, ResourceGraph graph)
    {
        var objects = PolicyContext.From(config, topology, graph).Objects;
        var releases = graph.Resources
            .Where(r => r.Type == TypeTokens.HelmRelease && r.Cluster is not null && !r.IsRead)
            .Select(r => Release(r.Cluster!, r.Name, InputSerializer.Properties(r)))
            .ToList();
        var tls = graph.Resources.Where(r => ProgramResource.IsTls(r.Type)).Select(r => new ProgramResource(r.Name, r.Type, InputSerializer.Properties(r))).ToList();
        return new RenderModel(config.Stack, config, topology, MeshAnalysisCatalog.For(config.Mesh), config.Clusters.Select(c => c.Name).ToList(), objects, releases, tls);
    }

    public static HelmRelease Release(string cluster, string resource, JsonObject properties) => new(
        cluster, resource,
        properties["name"]?.GetValue<string>() ?? resource,
        properties["chart"]?.GetValue<string>() ?? "",
        properties["version"]?.GetValue<string>() ?? "",
        properties["namespace"]?.GetValue<string>() ?? "default",
        properties["values"] as JsonObject ?? []);
}
