using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Topology;

namespace MeshStack.Security.Policy;

/// <summary>What rules look at: the config, the topology and every rendered Kubernetes object of the graph.</summary>
public sealed class PolicyContext(StackConfig? config, AppTopology topology, IReadOnlyList<RenderedObject> objects)
{
    /// <summary>The stack config; absent when a render directory is checked without it (rules that read it are skipped then).</summary>
    public StackConfig Config => config ?? throw new InvalidOperationException("this rule needs the stack config, which a render directory does not carry");

    public bool HasConfig => config is not null;
    public AppTopology Topology { get; } = topology;
    public IReadOnlyList<RenderedObject> Objects { get; } = objects;

    public IEnumerable<RenderedObject> OfKind(string group, string kind) => Objects.Where(o => o.Is(group, kind));

    /// <summary>
    /// Every rendered object: plain Kubernetes resources and the objects inside ConfigGroups; Helm releases are opaque,
    /// and objects the program only reads are not the stack's to judge.
    /// </summary>
    public static PolicyContext From(StackConfig config, AppTopology topology, ResourceGraph graph)
    {
        var objects = new List<RenderedObject>();
        foreach (var r in graph.Resources)
        {
            if (r.Cluster is null || !r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)
                || r.Type == TypeTokens.HelmRelease || r.Type == TypeTokens.KubernetesProvider || r.IsRead) continue;
            if (r.Inputs is ConfigGroupArgs group)
                objects.AddRange(group.Objects.Select(o => new RenderedObject(r, r.Cluster, InputSerializer.KubernetesObject(o))));
            else
                objects.Add(new RenderedObject(r, r.Cluster, InputSerializer.KubernetesObject(r.Inputs)));
        }
        return new PolicyContext(config, topology, objects);
    }
}
