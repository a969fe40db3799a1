using System.Text.Json;
using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;

namespace MeshStack.Output;

/// <summary>A manifest file: one Kubernetes object as YAML.</summary>
public sealed record ManifestFile(string Cluster, string FileName, string Yaml);

/// <summary>The Pulumi program and the manifests it creates, as text. Same graph, same bytes.</summary>
public sealed record EmittedStack(string ProgramYaml, IReadOnlyList<ManifestFile> Manifests)
{
    private readonly Func<JsonObject>? _makeProgram;
    private JsonObject? _program;

    internal EmittedStack(Func<JsonObject> program, int resourceCount, string programYaml, IReadOnlyList<ManifestFile> manifests)
        : this(programYaml, manifests)
    {
        _makeProgram = program;
        ResourceCount = resourceCount;
    }

    /// <summary>
    /// The program as a JSON tree, made when first asked for: the compiler and <c>render</c> need only its text, and a
    /// tree of a large program costs more than everything else the call does. Every reader gets the same tree.
    /// </summary>
    public JsonObject Program
    {
        get => _program ?? Interlocked.CompareExchange(ref _program, MakeProgram(), null) ?? _program;
        init => _program = value;
    }

    public int ResourceCount { get; init; }

    private JsonObject MakeProgram() => _makeProgram?.Invoke()
        ?? throw new InvalidOperationException("this EmittedStack was made from text alone: give it its Program (with { Program = ... })");
}

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
        // The program is written once, as JSON, straight from the typed inputs (no tree of nodes: a large program's
        // trees cost more than all the rest); the YAML and every manifest are read off that one document.
        using var json = new PooledBufferWriter(256 * 1024);
        using (var writer = new Utf8JsonWriter(json, WriterOptions)) WriteProgram(writer, graph);
        using var document = JsonDocument.Parse(json.WrittenMemory, DocumentOptions);

        // References are collected while the text is written (one pass over every string); only when one names
        // nothing, or a config key collides with a name, is the graph walked again for the precise messages.
        var configKeys = stackConfigKeys.ToList();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var yaml = YamlEmitter.Emit(document.RootElement, s =>
        {
            // most strings hold no reference: skip the enumerator they would allocate
            if (s.Contains(Expr.Marker)) foreach (var target in Expr.Targets(s)) targets.Add(target);
            return Expr.ToPulumiYaml(s);
        });
        if (targets.Any(t => !graph.Declares(t)) || configKeys.Any(graph.NamesResourceOrVariable))
        {
            var problems = graph.Check(configKeys, InputSerializer.Properties);
            if (problems.Count > 0) throw new SynthesisException(problems);
        }
        var manifests = withManifests ? Manifests(graph, document.RootElement.GetProperty("resources")) : [];
        return new EmittedStack(() => ProgramTree(graph), graph.Resources.Count, yaml, manifests);
    }

    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = YamlEmitter.MaxDepth, SkipValidation = true };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = YamlEmitter.MaxDepth };

    /// <summary>The program written again, as a tree (for tests and tools that walk it).</summary>
    private static JsonObject ProgramTree(ResourceGraph graph)
    {
        using var json = new PooledBufferWriter(256 * 1024);
        using (var writer = new Utf8JsonWriter(json, WriterOptions)) WriteProgram(writer, graph);
        return JsonNode.Parse(json.WrittenMemory.Span, documentOptions: DocumentOptions)!.AsObject();
    }

    private static void WriteProgram(Utf8JsonWriter w, ResourceGraph graph)
    {
        w.WriteStartObject();
        // The project name comes first: with `main:` set, the YAML runtime cannot take it from anywhere else and fails
        // every command without it (pulumi-yaml pkg/pulumiyaml/run.go 91-97, v1.38.1); `${project:key}` references
        // resolve against it too (sort.go 200-213), so it is the project's name, the namespace of its config keys.
        w.WriteString("name", ConfigKeys.Project);
        if (graph.SecretConfig.Count > 0)
        {
            w.WriteStartObject("config");
            foreach (var c in graph.SecretConfig)
            {
                w.WriteStartObject(c.Key);
                w.WriteString("type", "string");
                w.WriteBoolean("secret", true);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (graph.Variables.Count > 0)
        {
            w.WriteStartObject("variables");
            foreach (var (name, value) in graph.Variables)
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }
            w.WriteEndObject();
        }
        w.WriteStartObject("resources");
        foreach (var r in graph.Resources)
        {
            w.WriteStartObject(r.Name);
            w.WriteString("type", r.Type);
            if (r.Inputs is ReadInputs read)
            {
                w.WriteStartObject("get");
                w.WriteString("id", read.Id);
                w.WriteEndObject();
            }
            else
            {
                w.WritePropertyName("properties");
                InputSerializer.WriteProperties(w, r);
            }
            WriteOptions(w, r.Options);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (graph.Outputs.Count > 0)
        {
            w.WriteStartObject("outputs");
            foreach (var (name, value) in graph.Outputs)
            {
                w.WritePropertyName(name);
                if (value is null) w.WriteNullValue();
                else value.WriteTo(w);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter w, ResourceOptions o)
    {
        if (o.Provider is null && o.DependsOn.Count == 0 && o.Version is null && !o.Protect && !o.RetainOnDelete
            && o.IgnoreChanges.Count == 0 && o.AdditionalSecretOutputs.Count == 0) return;
        w.WriteStartObject("options");
        if (o.Provider is not null) w.WriteString("provider", Ref(o.Provider));
        if (o.DependsOn.Count > 0)
        {
            w.WriteStartArray("dependsOn");
            foreach (var d in o.DependsOn) w.WriteStringValue(Ref(d));
            w.WriteEndArray();
        }
        if (o.Version is not null) w.WriteString("version", o.Version);
        if (o.Protect) w.WriteBoolean("protect", true);
        if (o.RetainOnDelete) w.WriteBoolean("retainOnDelete", true);
        WriteStrings(w, "ignoreChanges", o.IgnoreChanges);
        WriteStrings(w, "additionalSecretOutputs", o.AdditionalSecretOutputs);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyCollection<string> values)
    {
        if (values.Count == 0) return;
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>A whole-resource reference: <c>${name}</c>.</summary>
    private static string Ref(Resource r) => $"{Expr.Marker}{{{r.Name}}}";

    /// <summary>Each object the program creates, as kubectl would read it: typed objects and every ConfigGroup object.</summary>
    private static List<ManifestFile> Manifests(ResourceGraph graph, JsonElement resources)
    {
        var manifests = new List<ManifestFile>();
        var usedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in graph.Resources)
        {
            // a resource the program only reads is not one it creates: no manifest
            if (r.Cluster is null || r.IsRead || !r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)
                || r.Type == TypeTokens.HelmRelease || r.Type == TypeTokens.KubernetesProvider) continue;
            var properties = resources.GetProperty(r.Name).GetProperty("properties");
            if (r.Type == TypeTokens.ConfigGroup)
            {
                foreach (var obj in properties.GetProperty("objs").EnumerateArray()) manifests.Add(Manifest(r, obj, [], usedFiles));
            }
            else
            {
                // typed objects: the program's properties, under the apiVersion and kind Pulumi takes from the type token
                manifests.Add(Manifest(r, properties, InputSerializer.TypeMeta(r.Inputs), usedFiles));
            }
        }
        return manifests;
    }

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

    private static ManifestFile Manifest(Resource r, JsonElement obj, KeyValuePair<string, string>[] typeMeta, HashSet<string> used)
    {
        var kind = (typeMeta.Length > 0 ? typeMeta[1].Value : obj.GetProperty("kind").GetString()!).ToLowerInvariant();
        obj.TryGetProperty("metadata", out var meta);
        var name = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("name", out var n) ? n.GetString()! : r.Name;
        var ns = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("namespace", out var s) ? s.GetString() : null;
        var file = FileName(ns is null ? $"{kind}-{name}" : $"{ns}-{kind}-{name}");
        if (!used.Add($"{r.Cluster}/{file}")) throw new SynthesisException([$"two objects would be written to manifests/{r.Cluster}/{file}"]);
        return new ManifestFile(r.Cluster!, file, YamlEmitter.Emit(obj, Expr.ToManifest, typeMeta));
    }
}
