using System.Globalization;
using System.Text;

namespace MeshStack.CrdGen;

/// <summary>C# names from upstream names. JSON names are kept exactly in [JsonPropertyName]; these are only for C#.</summary>
public static class Naming
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    ];

    /// <summary>
    /// A property or type-name segment: words split at non-alphanumerics, each word's first letter upper-cased,
    /// the rest kept ("tcpKeepalive" -> "TcpKeepalive", "mirror_percent" -> "MirrorPercent", "HTTPRoute" stays).
    /// </summary>
    public static string Pascal(string name) => Identifier(Words(name).Select(Capitalize), "_");

    /// <summary>
    /// Like <see cref="Pascal"/> but keeps the underscores between words; used when the plain form would
    /// collide with a sibling (Istio has both "mirrorPercent" and "mirror_percent").
    /// </summary>
    public static string PascalKeepingSeparators(string name) => Identifier([string.Join("_", Words(name).Select(Capitalize))], "_");

    /// <summary>
    /// An enum member from an upstream value: SCREAMING_CASE and lower-case words become Pascal case
    /// ("ROUND_ROBIN" -> "RoundRobin", "confirm-rollout" -> "ConfirmRollout"); mixed-case words keep their case
    /// ("PathPrefix", "IPAddress"). The empty string becomes "Empty".
    /// </summary>
    public static string EnumMember(string value)
    {
        if (value.Length == 0)
        {
            return "Empty";
        }
        var words = Words(value).Select(w => IsSingleCase(w) ? Capitalize(w.ToLowerInvariant()) : Capitalize(w));
        return Identifier(words, "Value");
    }

    /// <summary>True for a plain C# identifier (ASCII letters, digits, underscores; not starting with a digit; no keyword).</summary>
    public static bool IsIdentifier(string text) =>
        text.Length > 0 && !char.IsAsciiDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !Keywords.Contains(text);

    /// <summary>A namespace segment from a version: "v1beta3" -> "V1beta3".</summary>
    public static string Version(string version) => Capitalize(version);

    /// <summary>
    /// The namespace of an API group, in group order with the top-level domain dropped:
    /// networking.istio.io -> Networking.Istio, gateway.networking.k8s.io -> Gateway.Networking.K8s,
    /// linkerd.io -> Linkerd, flagger.app -> Flagger.
    /// </summary>
    public static string GroupNamespace(string group)
    {
        var labels = group.Split('.');
        var kept = labels.Length > 1 ? labels[..^1] : labels;
        return string.Join(".", kept.Select(Pascal));
    }

    private static IEnumerable<string> Words(string name)
    {
        var word = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    private static bool IsSingleCase(string word) =>
        word.Where(char.IsAsciiLetter).All(char.IsAsciiLetterUpper) || word.Where(char.IsAsciiLetter).All(char.IsAsciiLetterLower);

    private static string Capitalize(string word) =>
        word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static string Identifier(IEnumerable<string> words, string digitPrefix)
    {
        var text = string.Concat(words);
        if (text.Length == 0)
        {
            return "Value";
        }
        if (char.IsAsciiDigit(text[0]))
        {
            text = digitPrefix + text;
        }
        return Keywords.Contains(text) ? "@" + text : text;
    }

    /// <summary>A C# string literal.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
