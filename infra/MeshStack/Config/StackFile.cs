using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshStack.Config.Yaml;
using YamlDotNet.Core;

namespace MeshStack.Config;

/// <summary>
/// Reads <c>Pulumi.&lt;stack&gt;.yaml</c> the way the Pulumi CLI hands it to the program: top-level values as
/// strings, nested scalars typed by YAML's core schema (so <c>1.20</c> inside an object is the number 1.2,
/// exactly what the engine would pass; <c>!!str 1.20</c> or <c>"1.20"</c> is the string), <c>secure:</c> values as
/// present-but-unknown. A file that is not a readable stack file is reported at file:line:column, and nothing else
/// is checked then (no "clusters: required" for a file that could not be read).
/// </summary>
public static class StackFile
{
    /// <summary>The top-level keys of a Pulumi stack file besides <c>config</c>; they are not ours to check.</summary>
    private static readonly HashSet<string> PulumiKeys = new(["secretsprovider", "encryptedkey", "encryptionsalt", "environment"], StringComparer.Ordinal);

    public static string StackNameOf(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        const string prefix = "Pulumi.";
        var ext = file.EndsWith(".yaml", StringComparison.Ordinal) ? ".yaml" : file.EndsWith(".yml", StringComparison.Ordinal) ? ".yml" : null;
        if (!file.StartsWith(prefix, StringComparison.Ordinal) || ext is null || file.Length <= prefix.Length + ext.Length)
            throw new ArgumentException($"stack config file '{file}' must be named Pulumi.<stack>.yaml (Pulumi.yaml is the project file, not a stack)");
        var stack = file[prefix.Length..^ext.Length];
        StackName.Check(stack, file);
        return stack;
    }

    public static RawConfig Load(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        RawConfig Unreadable(string where, string message) => RawConfig.Unreadable(new ConfigProblem(where, message));

        var length = new FileInfo(path).Length;
        if (length > InputLimits.DocumentBytes)
            return Unreadable(file, $"is {length} bytes; a stack file may be at most {InputLimits.DocumentBytes} bytes (limit)");
        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var at = Position(bytes, e.Index < 0 ? 0 : e.Index);
            return Unreadable($"{file}:{at.Line}:{at.Column}", "is not valid UTF-8 (save the file as UTF-8)");
        }
        if (text.StartsWith('\uFEFF')) text = text[1..];

        YamlValue? root;
        try
        {
            root = BoundedYamlReader.Read(text);
        }
        catch (YamlInputException e)
        {
            return Unreadable($"{file}:{e.At.Line}:{e.At.Column}", e.Message);
        }

        const string shape = "a stack file is a mapping with a config: section, e.g.\n    config:\n      mesh-stack:clusters:\n        - {name: dev, context: kind-dev}";
        if (root is null) return Unreadable(file, $"is empty; {shape}");
        if (root is not YamlMapValue map)
            return Unreadable($"{file}:{root.Start.Line}:{root.Start.Column}", $"is {Kind(root)}, not a mapping; {shape}");
        var problems = new List<ConfigProblem>();
        YamlValue? configNode = null;
        foreach (var (k, v) in map.Entries)
        {
            if (k.Text == "config") configNode = v;
            else if (!PulumiKeys.Contains(k.Text))
            {
                var near = NearestName.For(k.Text, ["config", .. PulumiKeys]);
                problems.Add(new ConfigProblem($"{file}:{k.Start.Line}:{k.Start.Column}",
                    $"unknown top-level key '{Excerpt.Of(k.Text)}' of a stack file; {(near is null ? "stack config goes under config:" : $"did you mean {near}?")}"));
            }
        }
        if (configNode is null) return Unreadable(file, $"has no config: section; {shape}");
        if (configNode is YamlScalarValue { Style: ScalarStyle.Plain, Tag: null, Text: "" or "~" or "null" })
            return Unreadable($"{file}:{configNode.Start.Line}:{configNode.Start.Column}", $"config: is empty; {shape}");
        if (configNode is not YamlMapValue config)
            return Unreadable($"{file}:{configNode.Start.Line}:{configNode.Start.Column}", $"config: is {Kind(configNode)}, not a mapping of keys to values; {shape}");

        var pairs = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (k, v) in config.Entries)
        {
            try
            {
                pairs.Add(new(k.Text, v is YamlScalarValue s ? JsonValue.Create(s.Text) : ToJson(v)));
            }
            catch (YamlInputException e)
            {
                problems.Add(new ConfigProblem($"{file}:{e.At.Line}:{e.At.Column}", e.Message));
            }
        }
        return RawConfig.FromPairs(pairs, IsSecure, problems);
    }

    private static (int Line, int Column) Position(byte[] bytes, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n') (line, lineStart) = (line + 1, i + 1);
        }
        return (line, index - lineStart + 1);
    }

    private static string Kind(YamlValue v) => v switch
    {
        YamlListValue => "a list",
        YamlScalarValue s => $"a single value ('{Excerpt.Of(s.Text)}')",
        _ => "a mapping",
    };

    private static bool IsSecure(JsonNode? node) => node is JsonObject o && o.Count == 1 && o.ContainsKey("secure");

    /// <summary>Recursion is bounded: the reader refused anything nested deeper than <see cref="InputLimits.Depth"/>.</summary>
    private static JsonNode? ToJson(YamlValue node) => node switch
    {
        YamlMapValue m => new JsonObject(m.Entries.Select(c => KeyValuePair.Create(c.Key.Text, ToJson(c.Value)))),
        YamlListValue l => new JsonArray(l.Items.Select(ToJson).ToArray()),
        YamlScalarValue s => Scalar(s),
        _ => null,
    };

    /// <summary>YAML core schema for plain scalars; quoted scalars are strings; an explicit core tag decides.</summary>
    private static JsonNode? Scalar(YamlScalarValue s)
    {
        var text = s.Text;
        var kind = s.Tag ?? (s.Style is ScalarStyle.Plain ? null : "str");
        if (kind == "str") return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL" when kind is null or "null": return null;
            case "true" or "True" or "TRUE" when kind is null or "bool": return JsonValue.Create(true);
            case "false" or "False" or "FALSE" when kind is null or "bool": return JsonValue.Create(false);
        }
        if (kind is null or "int" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (kind is null or "float" && text.Length > 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && char.IsAsciiDigit(text[^1]))
        {
            if (double.IsInfinity(d))
                throw new YamlInputException(s.Start, $"the number {Excerpt.Of(text)} is too large; write a number in range, or quote it to make it a string");
            return JsonValue.Create(d);
        }
        if (kind is not null) throw new YamlInputException(s.Start, $"'{Excerpt.Of(text)}' is not a valid !!{kind}");
        return JsonValue.Create(text);
    }
}
