namespace MeshStack.CrdGen;

/// <summary>Which CRDs the generator turns into C#.</summary>
/// <param name="Sources">Files or folders under the upstream root to read.</param>
/// <param name="Groups">API groups to generate; every kind of these groups found in the sources is generated.</param>
public sealed record Selection(IReadOnlyList<string> Sources, IReadOnlyList<string> Groups)
{
    /// <summary>
    /// The project's selection. Gateway API comes from gateway-api/ (the v1.6.1 standard channel), not from the
    /// older copy Linkerd bundles in linkerd/crds/, which is why that folder is read only for Linkerd's own groups.
    /// Linkerd's rendered CRDs (linkerd/crds/) are read, never the Helm templates.
    /// </summary>
    public static Selection Default { get; } = new(
        Sources:
        [
            "istio/crd-all.gen.yaml",
            "linkerd/crds/policy",
            "linkerd/crds/serviceprofile.yaml",
            "gateway-api",
            "flagger/crd.yaml",
            "prometheus-operator",
        ],
        Groups:
        [
            "networking.istio.io",
            "security.istio.io",
            "telemetry.istio.io",
            "policy.linkerd.io",
            "linkerd.io",
            "gateway.networking.k8s.io",
            "flagger.app",
            "monitoring.coreos.com",
        ]);

    /// <summary>
    /// The versions to generate: every served version that is not deprecated. A served version whose schema is
    /// identical to a newer served version of the same kind is an alias (Istio serves v1alpha3 and v1beta1 with
    /// exactly the v1 schema); it is left out so each type exists once, and callers use the newest version.
    /// </summary>
    public IReadOnlyList<CrdVersion> Choose(IEnumerable<CrdVersion> all)
    {
        var chosen = new List<CrdVersion>();
        var seen = new Dictionary<(string Group, string Kind, string Version), string>();
        foreach (var byKind in all.Where(v => Groups.Contains(v.Group)).GroupBy(v => (v.Group, v.Kind)))
        {
            var served = byKind
                .Where(v => v.Served && !v.Deprecated)
                .OrderByDescending(v => v.Version, KubeVersionComparer.Instance)
                .ToList();
            var kept = new List<CrdVersion>();
            foreach (var version in served)
            {
                if (seen.TryGetValue((version.Group, version.Kind, version.Version), out var other))
                {
                    throw new InvalidDataException(
                        $"{version.ApiVersion} {version.Kind} is defined in both {other} and {version.Source}.");
                }
                seen.Add((version.Group, version.Kind, version.Version), version.Source);
                if (!kept.Any(newer => SchemaText.Equivalent(newer.Schema, version.Schema)))
                {
                    kept.Add(version);
                }
            }
            chosen.AddRange(kept);
        }
        return chosen
            .OrderBy(v => v.Group, StringComparer.Ordinal)
            .ThenBy(v => v.Version, StringComparer.Ordinal)
            .ThenBy(v => v.Kind, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>Kubernetes version priority: GA above beta above alpha, then by number (v1 &gt; v1beta2 &gt; v1beta1 &gt; v1alpha3).</summary>
public sealed class KubeVersionComparer : IComparer<string>
{
    public static KubeVersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y) => Key(x ?? "").CompareTo(Key(y ?? ""));

    private static (int Stage, int Major, int Minor) Key(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!match.Success)
        {
            return (-1, 0, 0);
        }
        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "alpha" => 0, "beta" => 1, _ => 2 };
        var minor = match.Groups[3].Success
            ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return (stage, major, minor);
    }
}
