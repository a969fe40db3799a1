using System.Text.RegularExpressions;

namespace MeshStack.Tests.Support;

/// <summary>
/// An edit the README tells users to make to one of the repository's stack files, applied to a copy of that file.
/// The edits are the README's own: the canary weight change is read from the README's example line, so changing
/// the example changes the test.
/// </summary>
public sealed partial record RoutineEdit(string Name, string Stack, Func<string, string> Apply)
{
    public override string ToString() => Name;

    public static IReadOnlyList<RoutineEdit> Documented { get; } = [CanaryWeight(), CanaryTag(), AddedCluster()];

    /// <summary>README "Shifting traffic to a canary": <c># weight: 10 -> 25 in Pulumi.prod.yaml</c>.</summary>
    private static RoutineEdit CanaryWeight()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var m = ReadmeWeightEdit().Match(readme);
        if (!m.Success) throw new InvalidOperationException("README.md no longer shows the canary weight edit ('# weight: 10 -> 25 in Pulumi.prod.yaml'): update RoutineEdit with what it documents now");
        var (from, to, stack) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
        // the README's new value, or its old one when the stack already has the new one: either way an edit
        return new($"{stack}: canary weight set as the README shows ({from} -> {to})", stack,
            text => SetUnder(text, "canary", "weight", current => current == to ? from : to));
    }

    /// <summary>README "Progressive delivery with Flagger": "To release: change <c>canary.tag</c>, run <c>pulumi up</c>".</summary>
    private static RoutineEdit CanaryTag() =>
        new("canary: canary.tag set to a new release", "canary",
            text => SetUnder(text, "canary", "tag", current => current == "\"1.5.1\"" ? "\"1.5.2\"" : "\"1.5.1\""));

    /// <summary>README "Adding a cluster": a third cluster, south, in prod (its own network on Istio, failing over to east).</summary>
    private static RoutineEdit AddedCluster() =>
        new("prod: a third cluster, south, added", "prod", text =>
        {
            var istio = text.Contains("mesh-stack:mesh: istio", StringComparison.Ordinal);
            var south = "    - name: south\n      context: prod-south\n"
                + (istio ? "      network: net-south\n" : "")
                + "      server: https://api.south.prod.example.com:6443\n"
                + (istio ? "      failover: [east]\n" : "");
            var lines = text.Split('\n').ToList();
            var list = lines.FindIndex(l => l.TrimEnd() == "  mesh-stack:clusters:");
            if (list < 0) throw new InvalidOperationException("no mesh-stack:clusters list to add a cluster to");
            var end = list + 1;
            while (end < lines.Count && (lines[end].StartsWith("   ", StringComparison.Ordinal) || lines[end].StartsWith("  - ", StringComparison.Ordinal))) end++;
            lines.Insert(end, south.TrimEnd('\n'));
            return string.Join('\n', lines);
        });

    /// <summary>Sets <paramref name="key"/> in the block under the first <c>parent:</c> line (the stack files are block YAML).</summary>
    private static string SetUnder(string text, string parent, string key, Func<string, string> value)
    {
        var lines = text.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart() == $"{parent}:");
        if (start < 0) throw new InvalidOperationException($"no '{parent}:' block to edit");
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        for (var i = start + 1; i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].Length - lines[i].TrimStart().Length > indent); i++)
        {
            var m = Regex.Match(lines[i], $@"^(\s+{Regex.Escape(key)}: )(.+)$");
            if (!m.Success) continue;
            lines[i] = m.Groups[1].Value + value(m.Groups[2].Value.Trim());
            return string.Join('\n', lines);
        }
        throw new InvalidOperationException($"no '{key}' under '{parent}:' to edit");
    }

    [GeneratedRegex(@"#\s*weight:\s*(\d+)\s*->\s*(\d+)\s+in\s+Pulumi\.([\w.-]+)\.yaml")]
    private static partial Regex ReadmeWeightEdit();
}
