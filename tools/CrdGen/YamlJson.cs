using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshStack.CrdGen;

/// <summary>
/// Reads YAML into <see cref="JsonNode"/> trees, keeping mapping order (the generator emits properties in
/// schema order) and resolving plain scalars the way Kubernetes does (YAML 1.2 core schema: ints, floats,
/// booleans and null are typed; quoted scalars stay strings).
/// </summary>
public static partial class YamlJson
{
    /// <summary>Every non-empty document of a (multi-document) YAML text.</summary>
    public static IReadOnlyList<JsonNode> ReadDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = new List<JsonNode>();
        foreach (var document in stream.Documents)
        {
            if (Convert(document.RootNode) is { } node)
            {
                documents.Add(node);
            }
        }
        return documents;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new InvalidDataException($"Unsupported YAML node at {node.Start}."),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text }
                ? text
                : throw new InvalidDataException($"Non-scalar mapping key at {key.Start}.");
            // YamlDotNet has already rejected duplicate keys.
            result.Add(name, Convert(value));
        }
        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || IsStringTag(scalar.Tag))
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (IntPattern().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }
            return JsonValue.Create(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        if (FloatPattern().IsMatch(text))
        {
            // decimal keeps "100.0" and "0.1" exact; doubles only where decimal cannot hold the value.
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d)
                : JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(text);
    }

    private static bool IsStringTag(TagName tag) =>
        !tag.IsEmpty && !tag.IsNonSpecific && tag.Value is "tag:yaml.org,2002:str" or "!!str";

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
