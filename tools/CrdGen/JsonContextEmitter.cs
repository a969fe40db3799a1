using System.Text;

namespace MeshStack.CrdGen;

/// <summary>
/// Writes the System.Text.Json source-generation contexts of the generated kinds, so they serialize without
/// reflection (Native AOT, trimming) and without the cost of building reflection metadata on first use.
/// </summary>
internal static class JsonContextEmitter
{
    /// <summary>
    /// The context class of a group/version namespace, named after it (<c>NetworkingIstioV1JsonContext</c>): the
    /// JSON source generator names its output files after the class alone, so the names must differ.
    /// </summary>
    public static string ContextName(string ns) =>
        ns[(CrdGenerator.RootNamespace.Length + 1)..].Replace(".", "", StringComparison.Ordinal) + "JsonContext";

    /// <summary>
    /// One context per namespace, because a source-generated context needs unique simple type names and nested
    /// type names are unique only within a namespace (every ServiceProfile version has a ServiceProfileSpec).
    /// </summary>
    public static string EmitContext(string ns, string contextName, string group, string version, IEnumerable<string> kinds)
    {
        var sb = new StringBuilder();
        sb.Append(CrdGenerator.Header($"The JSON serialization metadata of every {group}/{version} kind and the types it holds."));
        sb.Append('\n');
        sb.Append("#nullable enable\n\n");
        sb.Append("using System.Text.Json.Serialization;\n\n");
        sb.Append($"namespace {ns};\n\n");
        foreach (var kind in kinds.Order(StringComparer.Ordinal))
        {
            sb.Append($"[JsonSerializable(typeof({kind}))]\n");
        }
        // Metadata only: every caller passes CrdJson.Options, whose settings are applied at run time.
        sb.Append("[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]\n");
        sb.Append($"internal sealed partial class {contextName} : JsonSerializerContext\n{{\n}}\n");
        return sb.ToString();
    }

    /// <summary>The list CrdJson combines into its one resolver.</summary>
    public static string EmitRegistry(IReadOnlyList<string> contexts)
    {
        var sb = new StringBuilder();
        sb.Append(CrdGenerator.Header("The JSON serialization contexts of every generated group and version."));
        sb.Append('\n');
        sb.Append("#nullable enable\n\n");
        sb.Append("using System.Text.Json.Serialization.Metadata;\n\n");
        sb.Append($"namespace {CrdGenerator.RootNamespace};\n\n");
        sb.Append("internal static class CrdJsonContexts\n{\n");
        sb.Append("    /// <summary>Every context, ordered by group and version.</summary>\n");
        sb.Append("    public static IJsonTypeInfoResolver[] All() =>\n    [\n");
        foreach (var context in contexts.Order(StringComparer.Ordinal))
        {
            sb.Append($"        {context}.Default,\n");
        }
        sb.Append("    ];\n}\n");
        return sb.ToString();
    }
}
