using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Config;

/// <summary>
/// Reads <c>Pulumi.&lt;stack&gt;.yaml</c> the way the Pulumi CLI hands it to the program: top-level values as
/// strings, nested scalars typed by YAML's core schema (so <c>1.20</c> inside an object is the number 1.2,
/// exactly what the engine would pass), <c>secure:</c> values as present-but-unknown.
/// </summary>
public static class StackFile
{
    public static string StackNameOf(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        if (!file.StartsWith("Pulumi.", StringComparison.Ordinal) || !(file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)))
            throw new ArgumentException($"stack config file '{file}' must be named Pulumi.<stack>.yaml");
        var stack = file["Pulumi.".Length..file.LastIndexOf('.')];
        if (stack.Length == 0) throw new ArgumentException($"stack config file '{file}' must be named Pulumi.<stack>.yaml");
        return stack;
    }

    public static RawConfig Load(string path)
    {
        var problems = new List<ConfigProblem>();
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            return new RawConfig([], new HashSet<string>(), [new ConfigProblem(System.IO.Path.GetFileName(path), $"is not valid YAML (line {e.Start.Line}): {e.Message}")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return RawConfig.Empty;
        if (!root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) || configNode is not YamlMappingNode config)
            return RawConfig.Empty;
        var pairs = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (k, v) in config.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            pairs.Add(new(key, v is YamlScalarNode s ? JsonValue.Create(s.Value ?? "") : ToJson(v)));
        }
        return RawConfig.FromPairs(pairs, IsSecure, problems);
    }

    private static bool IsSecure(JsonNode? node) => node is JsonObject o && o.Count == 1 && o.ContainsKey("secure");

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode s => Scalar(s),
        _ => null,
    };

    /// <summary>YAML core schema for plain scalars; quoted scalars are always strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && char.IsAsciiDigit(text[^1])) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
