using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// A program as the YAML runtime reads it: the text parsed back (quoted scalars are strings; plain scalars are read
/// as YAML 1.2 core types, as yaml.v3 does: <see cref="MeshStack.Analysis.YamlDocuments"/>), so the rules judge what Pulumi sees, not the synthesizer's own objects.
/// </summary>
public sealed partial class ProgramDocument
{
    private ProgramDocument(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public JsonObject Resources => Root["resources"] as JsonObject ?? [];

    public static ProgramDocument Parse(string yaml)
    {
        var documents = MeshStack.Analysis.YamlDocuments.Parse(yaml);
        if (documents.Count != 1) throw new InvalidOperationException($"the program is {documents.Count} YAML documents; the runtime reads one");
        return new ProgramDocument(documents[0] as JsonObject
            ?? throw new InvalidOperationException("the program's top level is not a mapping"));
    }

    /// <summary>A copy to seed a fault into; the rules then run on <see cref="Root"/> of the copy.</summary>
    public ProgramDocument Clone() => new((JsonObject)Root.DeepClone());

    public string? TypeOf(string resource) => Resources[resource]?["type"]?.GetValue<string>();

    public JsonObject? OptionsOf(string resource) => Resources[resource]?["options"] as JsonObject;

    /// <summary>Names this program declares: resources, variables and the config keys of its <c>config:</c> block.</summary>
    public IReadOnlySet<string> DeclaredNames() =>
        Resources.Select(r => r.Key)
            .Concat((Root["variables"] as JsonObject ?? []).Select(v => v.Key))
            .Concat((Root["config"] as JsonObject ?? []).Select(c => c.Key))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The interpolations in a string, parsed like pulumi-yaml's <c>parseInterpolate</c> (pkg/pulumiyaml/ast/
    /// interpolation.go 16-45, v1.38.1): <c>$$</c> is a literal dollar, <c>${</c> opens a property access, any other
    /// <c>$</c> is literal. Yields each access's root name (before the first <c>.</c> or <c>[</c>).
    /// </summary>
    public static IEnumerable<string> References(string value)
    {
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$') { i += 2; continue; }
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                var end = value.IndexOf('}', i + 2);
                var access = end < 0 ? value[(i + 2)..] : value[(i + 2)..end];
                yield return RootName().Match(access).Value;
                i = end < 0 ? value.Length : end + 1;
                continue;
            }
            i++;
        }
    }

    [GeneratedRegex(@"^[^.\[]*")]
    private static partial Regex RootName();

    /// <summary>Every string in a tree (values, and keys of nested objects), with its path.</summary>
    public static IEnumerable<(string Path, string Value)> Strings(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    yield return ($"{path}.{k} (key)", k);
                    foreach (var s in Strings(v, $"{path}.{k}")) yield return s;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    foreach (var s in Strings(a[i], $"{path}[{i}]")) yield return s;
                break;
            case JsonValue v when v.TryGetValue<string>(out var text):
                yield return (path, text);
                break;
        }
    }
}
