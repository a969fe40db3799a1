using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Output;

/// <summary>
/// Writes a JSON tree as block-style YAML that Pulumi YAML and kubectl read the same way:
/// no anchors, every string quoted (or a literal block when multi-line) so no value changes type,
/// keys plain only when they cannot be read as anything but a string. Output is deterministic.
/// </summary>
public static class YamlEmitter
{
    /// <param name="text">Turns each string (keys included) into its emitted form; see <see cref="Emit(JsonElement, Func{string, string}, ReadOnlySpan{KeyValuePair{string, string}})"/>.</param>
    public static string Emit(JsonNode root, Func<string, string> text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) root.WriteTo(writer);
        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxDepth });
        return Emit(document.RootElement, text);
    }

    /// <summary>Deeper than any program or manifest the stack makes; JSON's default (64) is not.</summary>
    internal const int MaxDepth = 512;

    /// <summary>
    /// Writes a parsed JSON value as YAML. Strings reach <paramref name="text"/> only when they could need it: one of
    /// printable ASCII without <c>$</c>, <c>"</c> or <c>\</c> (most keys and values) is written from the document's own
    /// bytes, as <paramref name="text"/> would return it unchanged and quoting would add nothing but the quotes.
    /// </summary>
    /// <param name="leading">Scalar entries written before the object's own (a manifest's apiVersion and kind).</param>
    public static string Emit(JsonElement root, Func<string, string> text, ReadOnlySpan<KeyValuePair<string, string>> leading = default)
    {
        using var sb = new Utf8TextBuilder(64 * 1024);
        foreach (var (key, value) in leading)
        {
            WriteKey(sb, text(key));
            sb.Append(": ");
            WriteString(sb, text(value), 2);
            sb.Append('\n');
        }
        if (leading.Length > 0 && root.ValueKind == JsonValueKind.Object && root.GetPropertyCount() == 0) return sb.ToString();
        WriteNode(sb, root, 0, text, inline: false);
        return sb.ToString();
    }

    private static void WriteNode(Utf8TextBuilder sb, JsonElement node, int indent, Func<string, string> text, bool inline)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object when node.GetPropertyCount() > 0:
                var first = true;
                foreach (var property in node.EnumerateObject())
                {
                    if (!(first && inline)) sb.Append(' ', indent);
                    first = false;
                    WriteKey(sb, property, text);
                    sb.Append(':');
                    WriteAfterKey(sb, property.Value, indent, text);
                }
                break;
            case JsonValueKind.Array when node.GetArrayLength() > 0:
                first = true;
                foreach (var item in node.EnumerateArray())
                {
                    if (!(first && inline)) sb.Append(' ', indent);
                    first = false;
                    sb.Append("- ");
                    if (IsNonEmptyCollection(item)) WriteNode(sb, item, indent + 2, text, inline: true);
                    else
                    {
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

    private static bool IsNonEmptyCollection(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.GetPropertyCount() > 0,
        JsonValueKind.Array => e.GetArrayLength() > 0,
        _ => false,
    };

    private static void WriteAfterKey(Utf8TextBuilder sb, JsonElement value, int indent, Func<string, string> text)
    {
        if (IsNonEmptyCollection(value))
        {
            sb.Append('\n');
            WriteNode(sb, value, indent + 2, text, inline: false);
            return;
        }
        sb.Append(' ');
        WriteScalar(sb, value, indent + 2, text);
        sb.Append('\n');
    }

    private static void WriteScalar(Utf8TextBuilder sb, JsonElement node, int blockIndent, Func<string, string> text)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append("{}");
                return;
            case JsonValueKind.Array:
                sb.Append("[]");
                return;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(node);
                if (IsVerbatim(raw[1..^1])) sb.AppendUtf8(raw);
                else WriteString(sb, text(node.GetString()!), blockIndent);
                return;
            case JsonValueKind.True:
                sb.Append("true");
                return;
            case JsonValueKind.False:
                sb.Append("false");
                return;
            case JsonValueKind.Number:
                sb.AppendUtf8(JsonMarshal.GetRawUtf8Value(node));
                return;
            default:
                sb.Append("null");
                return;
        }
    }

    /// <summary>
    /// Printable ASCII without <c>$</c> (which the program doubles), <c>"</c> or <c>\</c> (escapes): the string as JSON
    /// holds it is the string itself, no text function changes it, and it needs no escape in double quotes.
    /// </summary>
    private static bool IsVerbatim(ReadOnlySpan<byte> utf8) =>
        utf8.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && utf8.IndexOfAny((byte)'$', (byte)'"', (byte)'\\') < 0;

    private static void WriteKey(Utf8TextBuilder sb, JsonProperty property, Func<string, string> text)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (!IsVerbatim(raw))
        {
            WriteKey(sb, text(property.Name));
            return;
        }
        // verbatim keys are printable ASCII: widened byte by byte, they are the key's characters
        Span<char> chars = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        Encoding.Latin1.GetChars(raw, chars);
        if (IsPlainKey(chars)) sb.AppendUtf8(raw);
        else
        {
            sb.Append('"');
            sb.AppendUtf8(raw);
            sb.Append('"');
        }
    }

    /// <summary>
    /// A key written without quotes: <c>[A-Za-z_][A-Za-z0-9_./-]*</c>, and not a word YAML 1.1 reads as a boolean or
    /// null (<see cref="Reserved"/>).
    /// </summary>
    private static bool IsPlainKey(ReadOnlySpan<char> key)
    {
        if (key.Length == 0 || !(char.IsAsciiLetter(key[0]) || key[0] == '_')) return false;
        foreach (var c in key[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-')) return false;
        }
        // no reserved word is longer than "false"
        return key.Length > 5 || !Reserved.GetAlternateLookup<ReadOnlySpan<char>>().Contains(key);
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    private static void WriteKey(Utf8TextBuilder sb, string key)
    {
        if (IsPlainKey(key)) sb.Append(key);
        else WriteQuoted(sb, key);
    }

    private static void WriteString(Utf8TextBuilder sb, string s, int blockIndent)
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

    private static void WriteLiteralBlock(Utf8TextBuilder sb, string s, int indent)
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

    private static void WriteQuoted(Utf8TextBuilder sb, string s)
    {
        sb.Append('"');
        var run = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!(c is '"' or '\\' || char.IsControl(c) || c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085')) continue;
            // the characters between escapes go as one run: a surrogate pair is never cut
            sb.Append(s.AsSpan(run, i - run));
            run = i + 1;
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default: sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }
        sb.Append(s.AsSpan(run)).Append('"');
    }
}
