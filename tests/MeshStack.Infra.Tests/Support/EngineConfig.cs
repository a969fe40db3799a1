using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests.Support;

/// <summary>
/// Builds <c>PULUMI_CONFIG</c> the way the Pulumi CLI does for the compiler: project defaults from Pulumi.yaml,
/// then the stack file's values; every value a string, structured values JSON-encoded.
/// </summary>
public static class EngineConfig
{
    public static string FromStackFile(string stackFile)
    {
        var map = new JsonObject();
        var project = Load(Path.Combine(Repo.Root, "Pulumi.yaml"));
        if (project.Children.TryGetValue(new YamlScalarNode("config"), out var decls))
        {
            foreach (var (k, v) in ((YamlMappingNode)decls).Children)
            {
                if (v is YamlMappingNode d && d.Children.TryGetValue(new YamlScalarNode("default"), out var def))
                    map[$"mesh-stack:{((YamlScalarNode)k).Value}"] = Encode(def);
            }
        }
        var stack = Load(stackFile);
        foreach (var (k, v) in ((YamlMappingNode)stack.Children[new YamlScalarNode("config")]).Children)
            map[((YamlScalarNode)k).Value!] = Encode(v);
        return map.ToJsonString();
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Encode(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : ToJson(node)!.ToJsonString();

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode s when s.Style is ScalarStyle.Plain => PlainScalar(s.Value!),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };

    // what Go's yaml.v3 makes of a plain scalar before the CLI JSON-encodes it
    private static JsonNode? PlainScalar(string text) =>
        text is "true" or "false" ? JsonValue.Create(text == "true")
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
        : JsonValue.Create(text);
}
