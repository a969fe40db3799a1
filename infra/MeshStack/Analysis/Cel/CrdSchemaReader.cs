using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Cel;

/// <summary>
/// Reads CustomResourceDefinitions (YAML files, or every .yaml under a folder, several documents per file) for their
/// served versions' schemas, so <c>check --crds</c> can evaluate their x-kubernetes-validations offline. The CRDs come
/// from the user (the charts that install them): the product carries none.
/// </summary>
public static class CrdSchemaReader
{
    public static IReadOnlyList<CrdSchema> Read(IEnumerable<string> paths)
    {
        var schemas = new List<CrdSchema>();
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.GetFiles(path, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
                : File.Exists(path) ? [path] : throw new IOException($"--crds {path}: no such file or folder");
            foreach (var file in files) schemas.AddRange(ReadFile(file));
        }
        return schemas;
    }

    private static IEnumerable<CrdSchema> ReadFile(string file)
    {
        List<JsonNode?> documents;
        try
        {
            documents = YamlDocuments.Load(file);
        }
        catch (IOException)
        {
            yield break; // not YAML (a Helm template with {{ }}): not a CRD we can read
        }
        foreach (var doc in documents)
        {
            if (doc is not JsonObject crd || Json.Str(crd["kind"]) != "CustomResourceDefinition") continue;
            var group = Json.Str(crd["spec"]?["group"]) ?? "";
            var kind = Json.Str(crd["spec"]?["names"]?["kind"]) ?? "";
            foreach (var v in Json.Objects(crd["spec"]?["versions"]))
            {
                if (v["served"] is JsonValue served && served.TryGetValue<bool>(out var s) && !s) continue;
                if (v["schema"]?["openAPIV3Schema"] is JsonObject schema)
                    yield return new CrdSchema(group, Json.Str(v["name"]) ?? "", kind, schema, file);
            }
        }
    }
}
