using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Security.Policy;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Analysis;

/// <summary>The analysis model of each corpus stack, built once per run, and copies of it with one object changed.</summary>
public static class CorpusModel
{
    private static readonly ConcurrentDictionary<string, Lazy<RenderModel>> Cache = new(StringComparer.Ordinal);

    public static RenderModel Of(string name) => Cache.GetOrAdd(name, n => new Lazy<RenderModel>(() =>
    {
        var entry = StackCorpus.Get(n);
        var stack = entry.StackName;
        return Stacks.FromYaml(entry.Yaml, stack).Model();
    })).Value;

    /// <summary>A deep copy of the model whose objects <paramref name="mutate"/> may change, add to or remove from.</summary>
    public static RenderModel Mutated(RenderModel model, Action<List<RenderedObject>> mutate)
    {
        var objects = model.Objects.Select(o => o with { Object = (JsonObject)o.Object.DeepClone() }).ToList();
        mutate(objects);
        return new RenderModel(model.Stack, model.Config, model.Topology, model.Mesh, model.Clusters, objects, model.Releases, model.TlsResources);
    }

    public static RenderModel MutatedReleases(RenderModel model, Func<HelmRelease, HelmRelease> mutate) =>
        new(model.Stack, model.Config, model.Topology, model.Mesh, model.Clusters, model.Objects, model.Releases.Select(mutate).ToList(), model.TlsResources);

    /// <summary>A copy of the model whose program tls resources (keys, certificates) <paramref name="mutate"/> may change, add or remove.</summary>
    public static RenderModel MutatedTls(RenderModel model, Action<List<ProgramResource>> mutate)
    {
        var resources = model.TlsResources.Select(r => r with { Properties = (JsonObject)r.Properties.DeepClone() }).ToList();
        mutate(resources);
        return new RenderModel(model.Stack, model.Config, model.Topology, model.Mesh, model.Clusters, model.Objects, model.Releases, resources);
    }

    public static JsonObject Find(this List<RenderedObject> objects, string cluster, string kind, string name) =>
        objects.First(o => o.Cluster == cluster && o.Kind == kind && o.Name == name).Object;
}
