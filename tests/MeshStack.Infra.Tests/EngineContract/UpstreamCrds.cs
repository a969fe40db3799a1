using MeshStack.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// The custom resource kinds of the upstream CRDs in ../shared/upstream, with their scope: a kind found there is a
/// custom resource (it needs its CRD installed first), and its scope says whether objects need a namespace.
/// </summary>
public static class UpstreamCrds
{
    private static readonly Lazy<Dictionary<(string Group, string Kind), string>> Scopes = new(Load);

    public static bool IsCustom(string group, string kind) =>
        Scopes.Value.ContainsKey((group, kind)) || (group.Contains('.') && !group.EndsWith(".k8s.io", StringComparison.Ordinal));

    public static bool IsClusterScoped(string group, string kind) =>
        Scopes.Value.TryGetValue((group, kind), out var scope) ? scope == "Cluster" : group == "" && kind == "Namespace";

    public static int Count => Scopes.Value.Count;

    private static Dictionary<(string, string), string> Load()
    {
        var scopes = new Dictionary<(string, string), string>();
        if (Repo.Shared is null) return scopes;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Shared, "upstream"), "*.yaml", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            // chart templates carry Go template syntax YAML cannot parse; the rendered copies are read instead
            if (!text.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal) || text.Contains("{{", StringComparison.Ordinal)) continue;
            var stream = new YamlStream();
            try { stream.Load(new StringReader(text)); }
            catch (YamlDotNet.Core.YamlException) { continue; }
            foreach (var doc in stream.Documents)
            {
                if (doc.RootNode is not YamlMappingNode root || Scalar(root, "kind") != "CustomResourceDefinition") continue;
                if (root.Children.TryGetValue(new YamlScalarNode("spec"), out var s) && s is YamlMappingNode spec
                    && spec.Children.TryGetValue(new YamlScalarNode("names"), out var n) && n is YamlMappingNode names
                    && Scalar(spec, "group") is { } group && Scalar(names, "kind") is { } kind)
                    scopes[(group, kind)] = Scalar(spec, "scope") ?? "Namespaced";
            }
        }
        return scopes;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
}
