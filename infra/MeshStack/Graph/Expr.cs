using System.Text;
using System.Text.RegularExpressions;

namespace MeshStack.Graph;

/// <summary>
/// A value that Pulumi resolves at deploy time: a resource output or a stack config key.
/// It is carried inside ordinary strings (so typed Kubernetes models can hold it) as a marker
/// that no literal can contain; emission turns markers into <c>${...}</c> and escapes every other <c>$</c>.
/// </summary>
public abstract record Expr
{
    /// <summary>U+E000 (private use) opens a reference inside a string; literals containing it are rejected.</summary>
    internal const char Marker = '\uE000';

    internal abstract string Target { get; }
    internal abstract string Path { get; }

    /// <summary>The marked form, for embedding in strings: <c>$"{a}{b}"</c> concatenates references.</summary>
    public sealed override string ToString() => $"{Marker}{{{Target}{Path}}}";

    public static implicit operator string(Expr e) => e.ToString();

    internal static readonly Regex MarkedReference = new("\uE000\\{(?<target>[^}.\\[]+)(?<path>[^}]*)\\}", RegexOptions.Compiled);

    /// <summary>Every reference target named in a string.</summary>
    internal static IEnumerable<string> Targets(string s)
    {
        if (s.IndexOf(Marker) < 0) yield break;
        foreach (Match m in MarkedReference.Matches(s)) yield return m.Groups["target"].Value;
    }

    /// <summary>Pulumi YAML form: literal '$' doubled, markers become <c>${</c>.</summary>
    internal static string ToPulumiYaml(string s)
    {
        if (s.IndexOf('$') < 0 && s.IndexOf(Marker) < 0) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            if (c == '$') sb.Append("$$");
            else if (c == Marker) sb.Append('$');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Manifest form: literals stay as they are, markers become <c>${</c>.</summary>
    internal static string ToManifest(string s) => s.IndexOf(Marker) < 0 ? s : s.Replace(Marker, '$');
}

/// <summary>An output of a resource in the graph, e.g. <c>${root-key.privateKeyPem}</c>.</summary>
public sealed record OutputRef(Resource Resource, string Property) : Expr
{
    internal override string Target => Resource.Name;
    internal override string Path => "." + Property;
}

/// <summary>A stack config key declared in the program's <c>config:</c> block (used for secrets, never inlined).</summary>
public sealed record ConfigRef(string Key) : Expr
{
    internal override string Target => Key;
    internal override string Path => "";
}

/// <summary>A program variable (e.g. the result of a builtin such as <c>fn::fromBase64</c>).</summary>
public sealed record VariableRef(string Name) : Expr
{
    internal override string Target => Name;
    internal override string Path => "";
}
