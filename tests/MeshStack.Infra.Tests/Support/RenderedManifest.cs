using System.Globalization;
using System.Text.Json.Nodes;
using MeshStack.Output;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests.Support;

/// <summary>Reads a rendered manifest back from its YAML text, so tests judge exactly what render writes.</summary>
public static class RenderedManifest
{
    public static JsonObject Parse(this ManifestFile manifest)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(manifest.Yaml));
        return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s => s.Value switch
        {
            "true" => true,
            "false" => false,
            "null" or "~" => null,
            var v when long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            var v => double.Parse(v!, CultureInfo.InvariantCulture),
        },
        YamlScalarNode s => s.Value,
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
