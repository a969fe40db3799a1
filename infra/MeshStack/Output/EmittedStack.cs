using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Output;

/// <summary>A manifest file: one Kubernetes object as YAML.</summary>
public sealed record ManifestFile(string Cluster, string FileName, string Yaml);

/// <summary>The Pulumi program and the manifests it creates, as text. Same graph, same bytes.</summary>
public sealed record EmittedStack(JsonObject Program, string ProgramYaml, IReadOnlyList<ManifestFile> Manifests);

/// <summary>Raised when the graph is inconsistent: a bug in synthesis, not a user error.</summary>
public sealed class SynthesisException(IReadOnlyList<string> problems)
    : Exception("the resource graph is inconsistent:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Emits the graph as a Pulumi YAML program and as plain manifests per cluster.</summary>
public static class StackEmitter
{
    /// <param name="withManifests">
    /// False for the compiler (<c>program</c>): Pulumi only reads the program, and the manifests' text would double the
    /// cost of every call. <c>render</c> writes both.
    /// </param>
    public static EmittedStack Emit(ResourceGraph graph, IEnumerable<string> stackConfigKeys, bool withManifests = true)
    {
        // Each input is serialized once: a typed Kubernetes object becomes its manifest first, then (without
        // apiVersion/kind) the program's properties; ConfigGroup manifests come from the properties' objs.
        var properties = new Dictionary<Resource, JsonObject>(ReferenceEqualityComparer.Instance);
        var manifests = new List<ManifestFile>();
        var usedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in graph.Resources)
        {
            // a resource the program only reads is not one it creates: no manifest
            var isManifest = withManifests && r.Cluster is not null && !r.IsRead && r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)
                && r.Type != TypeTokens.HelmRelease && r.Type != TypeTokens.KubernetesProvider;
            if (isManifest && r.Type != TypeTokens.ConfigGroup)
            {
                // typed Kubernetes objects: serialized once, first as the manifest, then (less apiVersion/kind) as properties
                var whole = InputSerializer.KubernetesObject(r.Inputs);
                manifests.Add(Manifest(r, whole, usedFiles));
                properties[r] = InputSerializer.WithoutTypeMeta(whole);
                continue;
            }
            properties[r] = InputSerializer.Properties(r);
            if (isManifest)
            {
                foreach (var obj in properties[r]["objs"]!.AsArray())
                    manifests.Add(Manifest(r, obj!.AsObject(), usedFiles));
            }
        }

        var configKeys = stackConfigKeys.ToList();

        // The project name comes first: with `main:` set, the YAML runtime cannot take it from anywhere else and fails
        // every command without it (pulumi-yaml pkg/pulumiyaml/run.go 91-97, v1.38.1); `${project:key}` references
        // resolve against it too (sort.go 200-213), so it is the project's name, the namespace of its config keys.
        var program = new JsonObject { ["name"] = ConfigKeys.Project };
        if (graph.SecretConfig.Count > 0)
        {
            program["config"] = new JsonObject(graph.SecretConfig.Select(c =>
                KeyValuePair.Create(c.Key, (JsonNode?)new JsonObject { ["type"] = "string", ["secret"] = true })));
        }
        if (graph.Variables.Count > 0)
            program["variables"] = new JsonObject(graph.Variables.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value.DeepClone())));
        var resources = new JsonObject();
        foreach (var r in graph.Resources)
        {
            var entry = r.Inputs is ReadInputs read
                ? new JsonObject { ["type"] = r.Type, ["get"] = new JsonObject { ["id"] = read.Id } }
                : new JsonObject { ["type"] = r.Type, ["properties"] = properties[r] };
            var options = Options(r.Options);
            if (options.Count > 0) entry["options"] = options;
            resources[r.Name] = entry;
        }
        program["resources"] = resources;
        if (graph.Outputs.Count > 0)
            program["outputs"] = new JsonObject(graph.Outputs.Select(o => KeyValuePair.Create(o.Key, o.Value?.DeepClone())));

        // References are collected while the text is written (one pass over every string); only when one names
        // nothing, or a config key collides with a name, is the graph walked again for the precise messages.
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var yaml = YamlEmitter.Emit(program, s =>
        {
            // most strings hold no reference: skip the enumerator they would allocate
            if (s.Contains(Expr.Marker)) foreach (var target in Expr.Targets(s)) targets.Add(target);
            return Expr.ToPulumiYaml(s);
        });
        if (targets.Any(t => !graph.Declares(t)) || configKeys.Any(graph.NamesResourceOrVariable))
        {
            var problems = graph.Check(configKeys, r => properties[r]);
            if (problems.Count > 0) throw new SynthesisException(problems);
        }
        return new EmittedStack(program, yaml, manifests);
    }

    private static JsonObject Options(ResourceOptions o)
    {
        var json = new JsonObject();
        if (o.Provider is not null) json["provider"] = Ref(o.Provider);
        if (o.DependsOn.Count > 0) json["dependsOn"] = new JsonArray(o.DependsOn.Select(d => (JsonNode)Ref(d)).ToArray());
        if (o.Version is not null) json["version"] = o.Version;
        if (o.Protect) json["protect"] = true;
        if (o.RetainOnDelete) json["retainOnDelete"] = true;
        if (o.IgnoreChanges.Count > 0) json["ignoreChanges"] = new JsonArray(o.IgnoreChanges.Select(s => (JsonNode)s).ToArray());
        if (o.AdditionalSecretOutputs.Count > 0) json["additionalSecretOutputs"] = new JsonArray(o.AdditionalSecretOutputs.Select(s => (JsonNode)s).ToArray());
        return json;
    }

    /// <summary>A whole-resource reference: <c>${name}</c>.</summary>
    private static string Ref(Resource r) => $"{Expr.Marker}{{{r.Name}}}";

    /// <summary>
    /// <c>&lt;stem&gt;.yaml</c>; a stem too long for a file name (255 bytes on common file systems; a namespace, kind and a
    /// 253-character object name exceed it) is cut and ends in a hash of the whole stem, so names stay unique and stable.
    /// </summary>
    internal static string FileName(string stem)
    {
        const int max = 255 - 5;
        if (System.Text.Encoding.UTF8.GetByteCount(stem) <= max) return $"{stem}.yaml";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stem)))[..12];
        return $"{stem[..(max - hash.Length - 1)]}-{hash}.yaml";
    }

    private static ManifestFile Manifest(Resource r, JsonObject obj, HashSet<string> used)
    {
        var meta = obj["metadata"] as JsonObject;
        var kind = obj["kind"]!.GetValue<string>().ToLowerInvariant();
        var name = meta?["name"]?.GetValue<string>() ?? r.Name;
        var ns = meta?["namespace"]?.GetValue<string>();
        var file = FileName(ns is null ? $"{kind}-{name}" : $"{ns}-{kind}-{name}");
        if (!used.Add($"{r.Cluster}/{file}")) throw new SynthesisException([$"two objects would be written to manifests/{r.Cluster}/{file}"]);
        // the text is made now: the object's nodes move into the program's properties afterwards
        return new ManifestFile(r.Cluster!, file, YamlEmitter.Emit(obj, Expr.ToManifest));
    }
}
