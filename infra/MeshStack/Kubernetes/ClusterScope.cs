using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Kubernetes;

/// <summary>
/// Everything built for one cluster goes through its scope: names get the cluster prefix and every
/// Kubernetes resource gets the cluster's provider, so neither can be forgotten.
/// </summary>
public sealed class ClusterScope
{
    /// <param name="made">Sees every object this scope adds as it is made, before it enters the graph (the user's customizations).</param>
    public ClusterScope(ResourceGraph graph, StackConfig config, ClusterConfig cluster, Resource provider, Action<object>? made = null)
    {
        Graph = graph;
        Config = config;
        Cluster = cluster;
        Provider = provider;
        _made = made;
    }

    private readonly Action<object>? _made;

    public ResourceGraph Graph { get; }
    public StackConfig Config { get; }
    public ClusterConfig Cluster { get; }
    public Resource Provider { get; }

    public string Name(string suffix) => $"{Cluster.Name}-{suffix}";

    public ResourceOptions Options(params IEnumerable<Resource?> dependsOn) =>
        new() { Provider = Provider, DependsOn = dependsOn.OfType<Resource>().Distinct().ToList() };

    public Resource Add<T>(string suffix, T model, params IEnumerable<Resource?> dependsOn) where T : class =>
        Add(suffix, model, Options(dependsOn));

    /// <summary>As <see cref="Add{T}(string, T, IEnumerable{Resource?})"/>, with options beyond the dependencies.</summary>
    public Resource Add<T>(string suffix, T model, ResourceOptions options) where T : class
    {
        _made?.Invoke(model);
        return Graph.AddKubernetes(Name(suffix), model, options, Cluster.Name);
    }

    /// <summary>
    /// Reads an object a Helm release of this cluster creates (e.g. a chart's Service). Its id takes the namespace from
    /// the release's own output, so it is unknown until the release exists: the engine skips reading an unknown id
    /// (pulumi sdk/go/pulumi/context.go 1460-1463, v3.259.0) instead of failing the first preview on an object that
    /// does not exist yet (pkg/resource/deploy/step.go 1314-1369).
    /// </summary>
    public Resource ReadCreatedBy<T>(string suffix, Resource release, string name) where T : class
    {
        if (release.Type != TypeTokens.HelmRelease)
            throw new ArgumentException($"'{release.Name}' is not a Helm release; only a release's status names the namespace it created '{name}' in", nameof(release));
        return Graph.ReadKubernetes<T>(Name(suffix), $"{release.Output("status.namespace")}/{name}", Options(release), Cluster.Name);
    }

    private readonly Dictionary<string, List<JsonObject>> _releasePatches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _builtReleases = new(StringComparer.Ordinal);

    /// <summary>Values another component adds to a Helm release of this cluster; must come before the release is built.</summary>
    public void PatchRelease(string release, JsonObject values)
    {
        if (_builtReleases.Contains(release))
            throw new InvalidOperationException($"release '{release}' in cluster '{Cluster.Name}' is already built; patch it while configuring");
        if (!_releasePatches.TryGetValue(release, out var list)) _releasePatches[release] = list = [];
        list.Add(values);
    }

    public Resource HelmRelease(string suffix, HelmReleaseArgs args, IEnumerable<Resource?> dependsOn, bool retainOnDelete = false)
    {
        _builtReleases.Add(args.Name);
        var values = args.Values;
        if (_releasePatches.TryGetValue(args.Name, out var patches))
        {
            values = (JsonObject)values.DeepClone();
            foreach (var patch in patches) JsonMerge.Into(values, patch);
        }
        return Graph.Add(Name(suffix), TypeTokens.HelmRelease, args with { Values = values },
            Options(dependsOn) with { RetainOnDelete = retainOnDelete }, Cluster.Name);
    }

    /// <summary>Custom resources (Istio, Linkerd, Gateway API, ...) go through a ConfigGroup: YAML programs cannot declare them directly.</summary>
    public Resource CustomResources(string suffix, IReadOnlyList<object> objects, params IEnumerable<Resource?> dependsOn)
    {
        foreach (var o in objects)
        {
            _made?.Invoke(o);
            if (o is k8s.IKubernetesObject<V1ObjectMeta> { Metadata: var m } && string.IsNullOrEmpty(m?.Name))
                throw new ArgumentException($"a {o.GetType().Name} in '{suffix}' has no metadata.name");
        }
        return Graph.Add(Name(suffix), TypeTokens.ConfigGroup, new ConfigGroupArgs { Objects = objects }, Options(dependsOn), Cluster.Name);
    }

    public Resource Namespace(string suffix, string name, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null, params IEnumerable<Resource?> dependsOn) =>
        Add(suffix, new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels, Annotations = annotations },
        }, dependsOn);
}
