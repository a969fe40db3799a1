using System.Text;

namespace MeshStack.Tests.Support;

/// <summary>
/// The stacks every engine-contract rule runs over: the tests' fixture stacks (<c>stack:&lt;name&gt;</c>, see
/// <see cref="StackFixtures"/>), generated 1-, 2- and 3-cluster configs for both meshes, and each <c>Pulumi.*.yaml</c>
/// of the repository that is not the same text as its fixture (<c>repo:&lt;name&gt;</c>): a stack file added or edited
/// later is covered by every behaviour rule without editing a test, and no test pins its values.
/// A corpus entry is a stack file body; its name is what a failing assertion reports.
/// </summary>
public static class StackCorpus
{
    /// <param name="File">The stack file it was read from; null for a generated entry.</param>
    public sealed record Entry(string Name, string Yaml, string? File = null)
    {
        /// <summary>The stack name to render it as: a stack file's own name (the prod-only policy rules read it), else "gen".</summary>
        public string StackName => File is null ? "gen" : Name[(Name.IndexOf(':') + 1)..];

        public override string ToString() => Name;
    }

    public static IReadOnlyList<Entry> All { get; } = FixtureStacks().Concat(Generated()).Concat(EditedRepoStacks()).ToList();

    /// <summary>For xunit theories: one row per corpus entry, by name.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var e in All) data.Add(e.Name);
            return data;
        }
    }

    public static Entry Get(string name) => All.Single(e => e.Name == name);

    public static bool IsIstio(Entry e) => e.Yaml.Contains("mesh-stack:mesh: istio", StringComparison.Ordinal);

    /// <summary>For xunit theories: the corpus entries on Istio.</summary>
    public static TheoryData<string> IstioNames => NamesWhere(IsIstio);

    /// <summary>For xunit theories: the corpus entries on Linkerd (the default mesh).</summary>
    public static TheoryData<string> LinkerdNames => NamesWhere(e => !IsIstio(e));

    private static TheoryData<string> NamesWhere(Func<Entry, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (var e in All.Where(predicate)) data.Add(e.Name);
        return data;
    }

    private static IEnumerable<Entry> FixtureStacks() =>
        StackFixtures.Names.Select(n => new Entry($"stack:{n}", StackFixtures.Text(n), StackFixtures.File(n)));

    /// <summary>The repository's stack files that differ from their fixture (or have none), by name.</summary>
    private static IEnumerable<Entry> EditedRepoStacks() =>
        Repo.StackFiles()
            .Select(f => (Name: Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length], File: f, Yaml: File.ReadAllText(f)))
            .Where(s => !StackFixtures.Names.Contains(s.Name) || StackFixtures.Text(s.Name) != s.Yaml)
            .Select(s => new Entry($"repo:{s.Name}", s.Yaml, s.File));

    /// <summary>
    /// 1, 2 and 3 clusters on each mesh, with the features that add resources switched on in some of them
    /// (replicas above 1, an edge for both public services with JWT, a static or automated canary, a fault drill,
    /// split placement).
    /// </summary>
    private static IEnumerable<Entry> Generated()
    {
        foreach (var mesh in new[] { "istio", "linkerd" })
        {
            for (var n = 1; n <= 3; n++)
            {
                var sb = new StringBuilder();
                sb.AppendLine("config:");
                sb.AppendLine("  pulumi:disable-default-providers:");
                sb.AppendLine("    - \"*\"");
                sb.AppendLine($"  mesh-stack:mesh: {mesh}");
                sb.AppendLine("  mesh-stack:clusters:");
                for (var i = 0; i < n; i++)
                {
                    var name = new[] { "east", "west", "south" }[i];
                    sb.AppendLine($"    - name: {name}");
                    sb.AppendLine($"      context: gen-{name}");
                    if (n > 1) sb.AppendLine($"      server: https://api.{name}.gen.example.com:6443");
                    if (mesh == "istio" && n > 1)
                    {
                        sb.AppendLine($"      network: net-{name}");
                        // every other cluster, in a different order from each cluster (Istio ranks them as listed)
                        var others = Enumerable.Range(1, n - 1).Select(k => new[] { "east", "west", "south" }[(i + k) % n]);
                        sb.AppendLine($"      failover: [{string.Join(", ", others)}]");
                    }
                    if (mesh == "linkerd" && n == 3 && i == 2)
                    {
                        sb.AppendLine("      export: remote-discovery");
                        sb.AppendLine("      services: [order, payment]");
                    }
                }
                sb.AppendLine($"  mesh-stack:mtls: {(n == 2 ? "permissive" : "strict")}");
                sb.AppendLine($"  mesh-stack:replicas: {n}");
                sb.AppendLine("  mesh-stack:traffic:");
                sb.AppendLine("    canary:");
                sb.AppendLine("      service: order");
                if (n == 2) sb.AppendLine("      automated: true");
                else
                {
                    sb.AppendLine("      weight: 20");
                    sb.AppendLine("      header: {name: x-canary-user, value: internal}");
                }
                sb.AppendLine("    edge:");
                sb.AppendLine("      - host: shop.gen.example.com");
                sb.AppendLine("        service: api-gateway");
                // both public services on the edge: a public service without a host would be unreachable (MS213)
                sb.AppendLine("      - host: www.gen.example.com");
                sb.AppendLine("        service: frontend");
                if (n == 1)
                {
                    sb.AppendLine("    faults:");
                    sb.AppendLine("      - {service: payment, percent: 5, abortStatus: 503}");
                }
                if (n != 2)
                {
                    sb.AppendLine("  mesh-stack:jwt:");
                    sb.AppendLine("    issuer: https://auth.gen.example.com/");
                    sb.AppendLine("    jwksUri: https://auth.gen.example.com/jwks.json");
                    sb.AppendLine("    audiences: [shop]");
                    sb.AppendLine("    requiredClaims: {role: [user]}");
                }
                yield return new Entry($"generated:{mesh}-{n}-cluster", sb.ToString());
            }
        }
    }
}
