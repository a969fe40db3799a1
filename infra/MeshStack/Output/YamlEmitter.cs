using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Output;

/// <summary>
/// Writes a JSON tree as block-style YAML that Pulumi YAML and kubectl read the same way:
/// no anchors, every string quoted (or a literal block when multi-line) so no value changes type,
/// keys plain only when they cannot be read as anything but a string. Output is deterministic.
/// </summary>
public static partial class YamlEmitter
{
    public static string Emit(JsonNode root, Func<string, string> text)
    {
        var sb = new StringBuilder(4096);
        WriteNode(sb, root, 0, text, inline: false);
        return sb.ToString();
    }

    private static void WriteNode(StringBuilder sb, JsonNode? node, int indent, Func<string, string> text, bool inline)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                // by index: a JsonObject's enumerator is boxed, one allocation per object of a large program
                for (var i = 0; i < o.Count; i++)
                {
                    var (key, value) = o.GetAt(i);
                    if (!(i == 0 && inline)) sb.Append(' ', indent);
                    WriteKey(sb, text(key));
                    sb.Append(':');
                    WriteAfterKey(sb, value, indent, text);
                }
                break;
            case JsonArray a when a.Count > 0:
                for (var i = 0; i < a.Count; i++)
                {
                    var item = a[i];
                    if (!(i == 0 && inline)) sb.Append(' ', indent);
                    sb.Append('-');
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        sb.Append(' ');
                        WriteNode(sb, item, indent + 2, text, inline: true);
                    }
                    else
                    {
                        sb.Append(' ');
                        WriteScalar(sb, item, indent + 2, text);
                        sb.Append('\n');
                    }
                }
                break;
            default:
                WriteScalar(sb, node, indent, text);
                sb.Append('\n');
                break;
        }
    }

    private static void WriteAfterKey(StringBuilder sb, JsonNode? value, int indent, Func<string, string> text)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                sb.Append('\n');
                WriteNode(sb, value, indent + 2, text, inline: false);
                break;
            case JsonArray { Count: > 0 }:
                sb.Append('\n');
                WriteNode(sb, value, indent + 2, text, inline: false);
                break;
            default:
                sb.Append(' ');
                WriteScalar(sb, value, indent + 2, text);
                sb.Append('\n');
                break;
        }
    }

    private static void WriteScalar(StringBuilder sb, JsonNode? node, int blockIndent, Func<string, string> text)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                return;
            case JsonObject:
                sb.Append("{}");
                return;
            case JsonArray:
                sb.Append("[]");
                return;
        }
        var value = node.AsValue();
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, text(value.GetValue<string>()), blockIndent);
                return;
            case JsonValueKind.True:
                sb.Append("true");
                return;
            case JsonValueKind.False:
                sb.Append("false");
                return;
            case JsonValueKind.Number:
                sb.Append(value.ToJsonString());
                return;
            default:
                sb.Append("null");
                return;
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainKey();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    private static void WriteKey(StringBuilder sb, string key)
    {
        if (PlainKey().IsMatch(key) && !Reserved.Contains(key)) sb.Append(key);
        else WriteQuoted(sb, key);
    }

    private static void WriteString(StringBuilder sb, string s, int blockIndent)
    {
        if (s.Contains('\n') && IsBlockSafe(s))
        {
            WriteLiteralBlock(sb, s, blockIndent);
            return;
        }
        WriteQuoted(sb, s);
    }

    /// <summary>A literal block keeps PEM and config text readable; it cannot carry control characters or a leading space.</summary>
    private static bool IsBlockSafe(string s)
    {
        if (s[0] == ' ' || s[0] == '\n') return false;
        foreach (var c in s)
        {
            if (c == '\n') continue;
            if (char.IsControl(c) && c != '\t') return false;
            if (c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085') return false;
        }
        // trailing spaces on the final line would be kept, but a line of only spaces before the end confuses indentation
        return !s.Split('\n').Any(line => line.Length > 0 && line.Trim(' ').Length == 0);
    }

    private static void WriteLiteralBlock(StringBuilder sb, string s, int indent)
    {
        var trailing = s.Length - s.TrimEnd('\n').Length;
        sb.Append(trailing switch { 0 => "|-", 1 => "|", _ => "|+" });
        var body = trailing == 0 ? s : s[..^1];
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0) sb.Append(' ', indent).Append(line);
        }
    }

    private static bool NeedsEscape(string s)
    {
        foreach (var c in s)
            if (c is '"' or '\\' || char.IsControl(c) || c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085') return true;
        return false;
    }

    private static void WriteQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        if (!NeedsEscape(s))
        {
            sb.Append(s).Append('"');
            return;
        }
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (char.IsControl(c) || c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
