using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException)
        {
            yield break; // not YAML (a Helm template with {{ }}): not a CRD we can read
        }
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root || ToJson(root) is not JsonObject crd || Json.Str(crd["kind"]) != "CustomResourceDefinition") continue;
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

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s => s.Value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" => null,
            var t when long.TryParse(t, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            var t when double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            var t => JsonValue.Create(t),
        },
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };
}
