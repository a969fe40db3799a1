using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshStack.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// Bad inputs generated from the tests' valid fixture stacks, each mutation invalid by construction and each
/// naming where the message must point: a scalar made an object, an object or list made a number, an unknown key
/// added to every object, a required key removed, null in place of a nested value (structural mutations, the config
/// written back as JSON, which is YAML); a key line repeated and a tab put into an indentation (textual mutations).
/// </summary>
public static class MutatedCases
{
    public static readonly string[] Stacks = ["dev", "prod", "canary", "multi-linkerd"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Keys that are required wherever they appear in the example stacks.</summary>
    private static readonly string[] Required = ["name", "context", "service", "host"];

    public static JsonObject Config(string stack) => (JsonObject)ToJson(Load(StackFixtures.Text(stack)).Children[new YamlScalarNode("config")])!;

    /// <summary>The stack file as JSON text (a YAML document), the unmutated baseline.</summary>
    public static string Yaml(JsonObject config) => new JsonObject { ["config"] = config.DeepClone() }.ToJsonString(Indented);

    public static IEnumerable<BadInput> All() => Stacks.SelectMany(Of);

    public static IEnumerable<BadInput> Of(string stack)
    {
        var original = Config(stack);
        foreach (var (path, node, _) in Sites(original))
        {
            if (!path.StartsWith("mesh-stack:", StringComparison.Ordinal)) continue;
            var top = !path.Contains('.') && !path.Contains('[');
            switch (node)
            {
                case JsonValue:
                    yield return Case(stack, $"{path} made an object", original, path, (_, set) => set(new JsonObject { ["x"] = 1 }), path);
                    if (!top) yield return Case(stack, $"{path} made null", original, path, (_, set) => set(null), path);
                    break;
                case JsonObject o:
                    yield return Case(stack, $"{path} made a number", original, path, (_, set) => set(42), path);
                    yield return Case(stack, $"{path} given an unknown key", original, path, (n, _) => n!["zzunknown"] = 1, $"{path}.zzunknown");
                    foreach (var key in Required.Where(o.ContainsKey))
                        yield return Case(stack, $"{path}.{key} removed", original, path, (n, _) => n!.AsObject().Remove(key), $"{path}.{key}: required");
                    break;
                case JsonArray:
                    yield return Case(stack, $"{path} made a number", original, path, (_, set) => set(42), path);
                    break;
            }
        }
        var withUnnamespaced = (JsonObject)original.DeepClone();
        withUnnamespaced["zzunknown"] = 1;
        yield return BadInput.Text($"{stack}: config given an unnamespaced key", Yaml(withUnnamespaced), "zzunknown: config keys are namespaced");

        var lines = StackFixtures.Text(stack).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            var indent = line.Length - trimmed.Length;
            if (indent > 0)
            {
                var tabbed = lines.ToArray();
                tabbed[i] = "\t" + line[1..];
                yield return BadInput.Text($"{stack}: tab in the indentation of line {i + 1}", string.Join('\n', tabbed), $"Pulumi.bad.yaml:{i + 1}:");
            }
            // a list item's first key sits on the dash line: repeating that line adds an item, not a key
            if (!trimmed.StartsWith('-') && trimmed.Contains(':'))
            {
                var doubled = lines.ToList();
                doubled.Insert(i + 1, line);
                yield return BadInput.Text($"{stack}: line {i + 1} repeated", string.Join('\n', doubled), $"Pulumi.bad.yaml:{i + 2}:{indent + 1}: duplicate key");
            }
        }
    }

    /// <summary>Applies <paramref name="mutate"/> to the value at <paramref name="path"/> of a fresh copy of the config.</summary>
    private static BadInput Case(string stack, string what, JsonObject original, string path, Action<JsonNode?, Action<JsonNode?>> mutate, string expected)
    {
        var copy = (JsonObject)original.DeepClone();
        var (_, node, set) = Sites(copy).Single(s => s.Path == path);
        mutate(node, set);
        return BadInput.Text($"{stack}: {what}", Yaml(copy), expected);
    }

    /// <summary>Every value under config with its key path (as the binder spells it) and a setter that replaces it.</summary>
    private static IEnumerable<(string Path, JsonNode? Node, Action<JsonNode?> Set)> Sites(JsonObject config)
    {
        var pending = new Stack<(string, JsonNode?, Action<JsonNode?>)>();
        foreach (var (k, v) in config.ToList()) pending.Push((k, v, n => config[k] = n));
        var sites = new List<(string, JsonNode?, Action<JsonNode?>)>();
        while (pending.TryPop(out var site))
        {
            sites.Add(site);
            var (path, node, _) = site;
            if (node is JsonObject o)
                foreach (var (k, v) in o.ToList()) pending.Push(($"{path}.{k}", v, n => o[k] = n));
            else if (node is JsonArray a)
                for (var i = 0; i < a.Count; i++) { var index = i; pending.Push(($"{path}[{i}]", a[i], n => a[index] = n)); }
        }
        return sites;
    }

    private static YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s => s.Value == "true",
        YamlScalarNode s => s.Value,
        _ => null,
    };
}
