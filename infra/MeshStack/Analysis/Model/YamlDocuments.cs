using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Analysis;

/// <summary>
/// Kubernetes YAML (render output, hand edits, CRDs) as JSON nodes: every document of a file, plain scalars typed by
/// YAML's core schema, quoted ones as strings. A file that is not YAML is an error naming file and line.
/// </summary>
public static class YamlDocuments
{
    public static List<JsonNode?> Load(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            return Read(reader);
        }
        catch (YamlException e)
        {
            throw new IOException($"{file}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }
    }

    /// <summary>Every document of YAML text (a program, a manifest, chart values), typed the same way.</summary>
    public static List<JsonNode?> Parse(string yaml) => Read(new StringReader(yaml));

    private static List<JsonNode?> Read(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    /// <summary>A plain scalar as YAML's core schema reads it (render quotes every string, so hand edits are the only plain ones).</summary>
    private static JsonNode? Plain(string text) => text switch
    {
        "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && char.IsAsciiDigit(text[^1]) => JsonValue.Create(d),
        _ => JsonValue.Create(text),
    };
}
