using System.Text.RegularExpressions;
using MeshStack.Graph;

namespace MeshStack.Analysis;

/// <summary>
/// A Pulumi YAML interpolation as the program writes secrets and chart values: <c>${resource.property}</c>, or several
/// of them concatenated (a certificate chain). A stack rendered in memory carries the graph's marker where the
/// program file has <c>$</c> (see <see cref="Expr"/>); both read the same. A literal value (PEM pasted by hand) has none.
/// </summary>
public static partial class OutputReference
{
    /// <summary>The text as the program file writes it (the in-memory marker as <c>$</c>), for comparing and printing.</summary>
    public static string? Text(string? text) => text?.Replace(Expr.Marker, '$');

    /// <summary>Every <c>${resource.property}</c> in the text, in order.</summary>
    public static IReadOnlyList<(string Resource, string Property)> All(string? text) =>
        Text(text) is not { } t ? [] : Pattern().Matches(t).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    /// <summary>The one reference the whole text is, or null (a literal, or a concatenation).</summary>
    public static (string Resource, string Property)? Single(string? text) =>
        Text(text) is { } t && Pattern().Match(t) is { Success: true } m && m.Length == t.Length ? (m.Groups[1].Value, m.Groups[2].Value) : null;

    // "$${" is Pulumi YAML's escaped literal, not a reference
    [GeneratedRegex(@"(?<!\$)\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}")]
    private static partial Regex Pattern();
}
