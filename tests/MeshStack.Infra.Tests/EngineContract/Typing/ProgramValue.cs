using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Tests.EngineContract.Typing;

/// <summary>
/// A value of the emitted program typed the way the Pulumi YAML runtime types it before checking it against an
/// input (pulumi-yaml v1.38.1 <c>pkg/pulumiyaml/analyser.go</c> typeExpr, lines 1071-1180, and
/// <c>pkg/pulumiyaml/ast/expr.go</c> ParseExpr, lines 286-312).
/// </summary>
public sealed record ProgramValue(ProgramValue.Kind Type, JsonNode? Node, string Description)
{
    public enum Kind
    {
        /// <summary>Unknown until deployment: a whole-string <c>${ref}</c>, a null, or a builtin the analyser leaves untyped.</summary>
        Unknown,
        Text,
        /// <summary>A string computed at run time: text around <c>${...}</c>, <c>fn::join</c>, <c>fn::toJSON</c>.</summary>
        ComputedText,
        Number,
        Boolean,
        List,
        /// <summary><c>fn::split</c>: a list of strings.</summary>
        TextList,
        Object,
        Asset,
        Archive,
    }

    public static ProgramValue Of(JsonNode? node)
    {
        switch (node)
        {
            case null:
                // a null is an invalid type, assignable to anything (analyser.go:228-233, 1141-1142)
                return new(Kind.Unknown, node, "null");
            case JsonArray:
                return new(Kind.List, node, "a list");
            case JsonObject obj when obj.Count == 1 && obj.First().Key.StartsWith("fn::", StringComparison.OrdinalIgnoreCase):
                return Builtin(obj.First().Key, obj.First().Value);
            case JsonObject:
                return new(Kind.Object, node, "an object");
        }
        return node.GetValueKind() switch
        {
            JsonValueKind.String => OfString(node.GetValue<string>(), node),
            JsonValueKind.Number => new(Kind.Number, node, $"the number {node.ToJsonString()}"),
            JsonValueKind.True or JsonValueKind.False => new(Kind.Boolean, node, $"the boolean {node.ToJsonString()}"),
            _ => new(Kind.Unknown, node, node.ToJsonString()),
        };
    }

    /// <summary>
    /// A string is a literal when it has no <c>${</c> (<c>$$</c> is a literal '$'), a reference typed as what it
    /// names when it is exactly one <c>${...}</c>, and a computed string otherwise (ast/interpolation.go:16-45).
    /// </summary>
    private static ProgramValue OfString(string value, JsonNode node)
    {
        var text = new StringBuilder();
        var references = 0;
        var textAroundReferences = false;
        for (var i = 0; i < value.Length;)
        {
            if (string.CompareOrdinal(value, i, "$$", 0, 2) == 0)
            {
                text.Append('$');
                i += 2;
            }
            else if (string.CompareOrdinal(value, i, "${", 0, 2) == 0)
            {
                var end = value.IndexOf('}', i + 2);
                if (end < 0) return new(Kind.ComputedText, node, $"the malformed interpolation \"{Short(value)}\"");
                textAroundReferences |= text.Length > 0;
                references++;
                i = end + 1;
            }
            else text.Append(value[i++]);
        }
        textAroundReferences |= references > 0 && text.Length > 0;
        return references switch
        {
            0 => new(Kind.Text, JsonValue.Create(text.ToString()), $"the string \"{Short(text.ToString())}\""),
            1 when !textAroundReferences => new(Kind.Unknown, node, $"the reference {value}"),
            _ => new(Kind.ComputedText, node, $"the interpolated string \"{Short(value)}\""),
        };
    }

    /// <summary>The builtins analyser.go types (lines 1083-1094, 1143-1152); every other one is left untyped there.</summary>
    private static ProgramValue Builtin(string name, JsonNode? argument) => name.ToLowerInvariant() switch
    {
        "fn::secret" or "fn::unsecret" => Of(argument),
        "fn::tojson" or "fn::join" => new(Kind.ComputedText, argument, $"a {name} result (a string)"),
        "fn::split" => new(Kind.TextList, argument, "a fn::split result (a list of strings)"),
        "fn::stringasset" or "fn::fileasset" or "fn::remoteasset" => new(Kind.Asset, argument, $"a {name}"),
        "fn::filearchive" or "fn::remotearchive" or "fn::assetarchive" => new(Kind.Archive, argument, $"a {name}"),
        _ => new(Kind.Unknown, argument, name),
    };

    private static string Short(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
