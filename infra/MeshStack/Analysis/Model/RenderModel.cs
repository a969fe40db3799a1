using System.Collections.Concurrent;
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
        // ... and by kind within a cluster, and pods by namespace: rules that look up one object per service would
        // otherwise scan every object of the kind, quadratic in services
        byKindInCluster = objects.GroupBy(o => (o.Kind, o.Cluster)).ToDictionary(g => g.Key, g => g.ToList());
        podsByNamespace = Pods.GroupBy(p => (p.Owner.Cluster, p.Owner.Namespace)).ToDictionary(g => g.Key, g => g.ToList());
        podsByLabel = Pods.SelectMany(p => p.Labels.Select(l => (Key: (p.Owner.Cluster, p.Owner.Namespace, l.Key, l.Value), Pod: p)))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Select(x => x.Pod).ToList());
        chartWorkloads = new Lazy<IReadOnlyList<ChartWorkload>>(() => ChartWorkload.In(this).ToList());
        services = new(() => objects.Where(o => o.Is("", "Service")).GroupBy(o => (o.Cluster, o.Namespace, o.Name)).ToDictionary(g => g.Key, g => g.First()));
    }

    private readonly Dictionary<string, List<RenderedObject>> byKind;
    private readonly Dictionary<string, List<JsonObject>> byCluster;
    private readonly Dictionary<(string Kind, string Cluster), List<RenderedObject>> byKindInCluster;
    private readonly Dictionary<(string Cluster, string? Namespace), List<WorkloadPod>> podsByNamespace;
    private readonly Dictionary<(string Cluster, string? Namespace, string Label, string Value), List<WorkloadPod>> podsByLabel;
    private readonly Lazy<IReadOnlyList<ChartWorkload>> chartWorkloads;
    private readonly ConcurrentDictionary<string, Simulation.IstioRouter> istioRouters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Simulation.GatewayRouter> gatewayRouters = new(StringComparer.Ordinal);

    /// <summary>One router per cluster, so its index of routes is built once however many calls the rules route.</summary>
    public Simulation.IstioRouter IstioRouterIn(string cluster) => istioRouters.GetOrAdd(cluster, c => new(ObjectsIn(c)));

    /// <inheritdoc cref="IstioRouterIn"/>
    public Simulation.GatewayRouter GatewayRouterIn(string cluster) => gatewayRouters.GetOrAdd(cluster, c => new(ObjectsIn(c)));

    private readonly ConcurrentDictionary<(string Cluster, string Service, string Method, string Path), Simulation.RouteDecision?> headerlessDecisions = new();

    /// <summary>
    /// Where the mesh routes a call without headers (the rules' sample requests), decided once per cluster, service and
    /// request: several rules ask about every call of the topology, some once per hop of a path.
    /// </summary>
    public Simulation.RouteDecision? Decision(string cluster, string service, Simulation.HttpCall call, Func<Simulation.RouteDecision?> decide) =>
        call.Headers.Count > 0 ? decide() : headerlessDecisions.GetOrAdd((cluster, service, call.Method, call.Path), _ => decide());

    /// <summary>The Service objects by cluster, namespace and name (the first rendered, as a scan would find it).</summary>
    private readonly Lazy<Dictionary<(string Cluster, string? Namespace, string Name), RenderedObject>> services;

    public RenderedObject? Service(string cluster, string name, string ns) =>
        services.Value.GetValueOrDefault((cluster, ns, name));

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
        byKindInCluster.TryGetValue((kind, cluster), out var list) ? list.Where(o => o.Is(group, kind)) : [];

    /// <summary>The rendered pod templates in a namespace of a cluster whose labels a selector matches.</summary>
    public IEnumerable<WorkloadPod> PodsSelectedBy(string cluster, string? ns, JsonObject? matchLabels)
    {
        // only pods carrying the selector's first label can match: start from those (in the same order)
        var candidates = matchLabels is { Count: > 0 } && matchLabels.GetAt(0) is (var label, JsonValue first) && first.TryGetValue<string>(out var value)
            ? podsByLabel.GetValueOrDefault((cluster, ns, label, value))
            : podsByNamespace.GetValueOrDefault((cluster, ns));
        return candidates?.Where(p => LabelSelector.Matches(matchLabels, p.Labels)) ?? [];
    }

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
