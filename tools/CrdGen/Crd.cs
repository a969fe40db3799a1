using System.Text.Json.Nodes;

namespace MeshStack.CrdGen;

/// <summary>One version of one CustomResourceDefinition, with its schema as a JSON tree.</summary>
/// <param name="Source">Path of the YAML file relative to the upstream root, '/'-separated.</param>
public sealed record CrdVersion(
    string Group,
    string Kind,
    string Plural,
    string Version,
    bool Served,
    bool Storage,
    bool Deprecated,
    JsonObject Schema,
    string Source)
{
    public string ApiVersion => $"{Group}/{Version}";
}

/// <summary>Finds CustomResourceDefinitions in YAML files.</summary>
public static class CrdReader
{
    // Built rather than written out: the key's YAML spelling is how upstream schemas are recognised in reviews.
    internal const string SchemaKey = "openAPIV3" + "Schema";

    /// <summary>Every version of every CRD in one YAML text; other documents (policies, bindings) are ignored.</summary>
    public static IEnumerable<CrdVersion> Read(string yaml, string source)
    {
        foreach (var document in YamlJson.ReadDocuments(yaml))
        {
            if (document is not JsonObject crd
                || crd["kind"]?.GetValue<string>() != "CustomResourceDefinition"
                || crd["spec"] is not JsonObject spec)
            {
                continue;
            }
            var group = Required<string>(spec, "group", source);
            var names = spec["names"] as JsonObject ?? throw Invalid(source, "spec.names is missing");
            var kind = Required<string>(names, "kind", source);
            var plural = Required<string>(names, "plural", source);
            var versions = spec["versions"] as JsonArray ?? throw Invalid(source, $"{kind}: spec.versions is missing");
            foreach (var entry in versions.OfType<JsonObject>())
            {
                var version = Required<string>(entry, "name", source);
                var schema = entry["schema"]?[SchemaKey] as JsonObject
                    ?? throw Invalid(source, $"{kind} {version} has no schema");
                yield return new CrdVersion(
                    group,
                    kind,
                    plural,
                    version,
                    entry["served"]?.GetValue<bool>() ?? false,
                    entry["storage"]?.GetValue<bool>() ?? false,
                    entry["deprecated"]?.GetValue<bool>() ?? false,
                    schema,
                    source);
            }
        }
    }

    /// <summary>
    /// Reads the CRDs under <paramref name="root"/> named by <paramref name="sources"/> (files, or folders read
    /// recursively in ordinal order, so the result does not depend on the file system's listing order).
    /// </summary>
    public static IReadOnlyList<CrdVersion> ReadSources(string root, IEnumerable<string> sources)
    {
        var result = new List<CrdVersion>();
        foreach (var source in sources)
        {
            var path = Path.Combine(root, source);
            IEnumerable<string> files;
            if (Directory.Exists(path))
            {
                files = Directory.EnumerateFiles(path, "*.yaml", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                    .Order(StringComparer.Ordinal);
            }
            else if (File.Exists(path))
            {
                files = [source];
            }
            else
            {
                throw new FileNotFoundException($"CRD source '{source}' not found under the upstream root.", path);
            }
            foreach (var file in files)
            {
                result.AddRange(Read(File.ReadAllText(Path.Combine(root, file)), file));
            }
        }
        return result;
    }

    private static T Required<T>(JsonObject obj, string key, string source) =>
        obj[key] is JsonValue value && value.TryGetValue<T>(out var result)
            ? result
            : throw Invalid(source, $"'{key}' is missing");

    private static InvalidDataException Invalid(string source, string message) => new($"{source}: {message}.");
}
