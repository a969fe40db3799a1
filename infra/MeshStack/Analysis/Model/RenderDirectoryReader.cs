using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Meshes;
using MeshStack.Security.Policy;
using MeshStack.Topology;

namespace MeshStack.Analysis;

/// <summary>
/// Reads a render directory (<c>Main.yaml</c> and <c>manifests/&lt;cluster&gt;/*.yaml</c>), as written by <c>render</c>
/// or edited by hand, into the model the rules read. The stack config is optional: without it, the rules that
/// compare the render with the stack's intent are skipped.
/// </summary>
public static class RenderDirectoryReader
{
    public static RenderModel Read(string dir, AppTopology application, StackConfig? config = null)
    {
        var main = Path.Combine(dir, "Main.yaml");
        if (!File.Exists(main)) throw new IOException($"'{dir}' is not a render directory: it has no Main.yaml (render writes Main.yaml and manifests/)");
        var program = YamlDocuments.Load(main).FirstOrDefault() as JsonObject
            ?? throw new IOException($"{main}: not a YAML mapping (a Pulumi YAML program has name: and resources:)");
        var resources = program["resources"] as JsonObject ?? [];

        // the cluster of a Helm release is its provider's clusterIdentifier
        var providerCluster = resources
            .Where(r => r.Value?["type"]?.GetValue<string>() == TypeTokens.KubernetesProvider)
            .ToDictionary(r => r.Key, r => r.Value?["properties"]?["clusterIdentifier"]?.GetValue<string>() ?? r.Key, StringComparer.Ordinal);
        var releases = new List<HelmRelease>();
        foreach (var (name, node) in resources)
        {
            if (node?["type"]?.GetValue<string>() != TypeTokens.HelmRelease || node["properties"] is not JsonObject props) continue;
            // options.provider is a whole-resource reference: ${name}
            var provider = node["options"]?["provider"]?.GetValue<string>() is { } reference && reference.StartsWith("${", StringComparison.Ordinal) && reference.EndsWith('}')
                ? reference[2..^1] : null;
            releases.Add(RenderModel.Release(provider is not null && providerCluster.TryGetValue(provider, out var c) ? c : "-", name, props));
        }

        var objects = new List<RenderedObject>();
        var manifests = Path.Combine(dir, "manifests");
        if (Directory.Exists(manifests))
        {
            foreach (var clusterDir in Directory.GetDirectories(manifests).Order(StringComparer.Ordinal))
            {
                var cluster = Path.GetFileName(clusterDir);
                foreach (var file in Directory.GetFiles(clusterDir, "*.yaml").Order(StringComparer.Ordinal))
                {
                    foreach (var doc in YamlDocuments.Load(file))
                    {
                        if (doc is not JsonObject o || o["kind"] is null)
                            throw new IOException($"{file}: not a Kubernetes object (no kind)");
                        objects.Add(new RenderedObject(null, cluster, o));
                    }
                }
            }
        }
        var clusters = providerCluster.Values.Concat(objects.Select(o => o.Cluster)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var mesh = config is null ? MeshAnalysisCatalog.Detect(releases) : MeshAnalysisCatalog.For(config.Mesh);
        var stack = config?.Stack ?? Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));
        var tls = resources
            .Where(r => r.Value?["type"]?.GetValue<string>() is { } type && ProgramResource.IsTls(type))
            .Select(r => new ProgramResource(r.Key, r.Value!["type"]!.GetValue<string>(), r.Value["properties"] as JsonObject ?? []))
            .ToList();
        return new RenderModel(stack, config, config?.App ?? application, mesh, clusters, objects, releases, tls);
    }
}
