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

    /// <summary>
    /// Every reference target named in a string: in each <c>MARKER{target path}</c>, the target runs up to the first
    /// <c>}</c>, <c>.</c> or <c>[</c> (at least one character) and the reference ends at the next <c>}</c>.
    /// </summary>
    internal static List<string> Targets(string s)
    {
        var targets = new List<string>();
        var at = s.IndexOf(Marker);
        while (at >= 0 && at + 1 < s.Length)
        {
            var next = at + 1;
            if (s[at + 1] == '{')
            {
                var start = at + 2;
                var end = start;
                while (end < s.Length && s[end] is not ('}' or '.' or '[')) end++;
                var close = end > start ? s.IndexOf('}', end) : -1;
                if (close >= 0)
                {
                    targets.Add(s[start..end]);
                    next = close + 1;
                }
            }
            at = next < s.Length ? s.IndexOf(Marker, next) : -1;
        }
        return targets;
    }

    /// <summary>Pulumi YAML form: literal '$' doubled, markers become <c>${</c>.</summary>
    internal static string ToPulumiYaml(string s)
    {
        var dollars = s.AsSpan().Count('$');
        if (dollars == 0) return s.IndexOf(Marker) < 0 ? s : s.Replace(Marker, '$');
        return string.Create(s.Length + dollars, s, static (chars, s) =>
        {
            var i = 0;
            foreach (var c in s)
            {
                if (c == '$') chars[i++] = '$';
                chars[i++] = c == Marker ? '$' : c;
            }
        });
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
