using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Tests.Support;

/// <summary>
/// The order Pulumi creates a program's resources in: a resource waits for everything it names in
/// <c>dependsOn</c> and every resource whose output its properties reference (<c>${name}</c>, <c>${name.output}</c>).
/// </summary>
public sealed partial class ProgramGraph(JsonObject program)
{
    private JsonObject Resources => program["resources"]!.AsObject();

    public IEnumerable<(string Name, JsonObject Resource)> All => Resources.Select(r => (r.Key, r.Value!.AsObject()));

    public IEnumerable<string> DirectDependencies(string name)
    {
        var r = Resources[name]!.AsObject();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in Strings(r["options"]?["dependsOn"]).Concat(Strings(r["properties"]))) found.UnionWith(References(text));
        found.IntersectWith(Resources.Select(x => x.Key));
        return found;
    }

    /// <summary>Every resource that must exist before <paramref name="name"/> is created.</summary>
    public HashSet<string> Ancestors(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(DirectDependencies(name));
        while (stack.TryPop(out var n))
            if (seen.Add(n)) foreach (var d in DirectDependencies(n)) stack.Push(d);
        return seen;
    }

    public string? Provider(string name) => Resources[name]!["options"]?["provider"]?.GetValue<string>()?.Replace('\uE000', '$');

    /// <summary>Every string in a JSON tree (not its escaped text: the marker is not ASCII).</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static IEnumerable<string> References(string text) => Reference().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>In the emitted text a reference starts with <c>$</c>; in the in-memory program, with the emitter's private marker.</summary>
    [GeneratedRegex(@"[$\uE000]\{([A-Za-z0-9_-]+)")]
    private static partial Regex Reference();
}
