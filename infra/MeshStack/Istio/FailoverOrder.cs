using MeshStack.Config;

namespace MeshStack.Istio;

/// <summary>
/// A cluster's <c>failover</c> list as Istio's <c>failoverPriority</c>. Istio ranks each endpoint by how many of the
/// listed labels, in order, match the calling proxy's; an entry <c>label=value</c> compares with that value instead of
/// the proxy's; when the first entry is the network label, an endpoint on another network is ranked below every
/// same-network one and then again by the remaining entries (istio release-1.31 pilot/pkg/networking/core/
/// loadbalancer/loadbalancer.go 601-633, 584-597). Endpoints carry their cluster's network and cluster labels. So two
/// orders are expressible:
/// <list type="bullet">
/// <item><c>[network, cluster]</c>: own cluster, then the clusters on its network, then all other networks as equals;</item>
/// <item><c>[network, cluster=F]</c> for F on another network, when no other cluster shares the caller's network: own
/// cluster, then F, then the rest as equals.</item>
/// </list>
/// A list that neither gives (listed clusters ranked equal, or an unlisted cluster ahead of a listed one) is refused.
/// </summary>
public static class FailoverOrder
{
    public const string NetworkLabel = "topology.istio.io/network";
    public const string ClusterLabel = "topology.istio.io/cluster";

    /// <summary>The failoverPriority entries that rank endpoints exactly as <paramref name="cluster"/>'s list asks, or null when none can.</summary>
    public static IReadOnlyList<string>? Priority(IReadOnlyList<ClusterConfig> clusters, ClusterConfig cluster) =>
        Priority(clusters, cluster, cluster.Failover);

    private static IReadOnlyList<string>? Priority(IReadOnlyList<ClusterConfig> clusters, ClusterConfig cluster, IReadOnlyList<string> order)
    {
        if (order.Count == 0) return null;
        var others = clusters.Where(c => c.Name != cluster.Name).ToList();
        var sameNetwork = others.Where(c => c.Network == cluster.Network).Select(c => c.Name).ToHashSet();
        var otherNetworks = others.Where(c => c.Network != cluster.Network).Select(c => c.Name).ToHashSet();
        List<string> byLabels = [NetworkLabel, ClusterLabel];
        if (Honours([[cluster.Name], sameNetwork, otherNetworks], cluster.Name, order)) return byLabels;
        var first = order[0];
        if (sameNetwork.Count == 0 && otherNetworks.Contains(first)
            && Honours([[cluster.Name], [first], otherNetworks.Where(n => n != first).ToHashSet()], cluster.Name, order))
            return [NetworkLabel, $"{ClusterLabel}={first}"];
        return null;
    }

    /// <summary>True when the tiers (best first; ties within a tier) are: the caller, then each listed cluster alone in list order, then only unlisted ones.</summary>
    private static bool Honours(IEnumerable<IReadOnlyCollection<string>> tiers, string caller, IReadOnlyList<string> order)
    {
        var ranked = tiers.Where(t => t.Count > 0).ToList();
        if (ranked.Count == 0 || !ranked[0].SequenceEqual([caller])) return false;
        for (var i = 0; i < order.Count; i++)
            if (ranked.Count <= i + 1 || ranked[i + 1].Count != 1 || !ranked[i + 1].Contains(order[i])) return false;
        return true;
    }

    /// <summary>Why the list cannot be honoured, and a list that can (or what to change), for the config error.</summary>
    public static string Explain(IReadOnlyList<ClusterConfig> clusters, ClusterConfig cluster)
    {
        var others = clusters.Where(c => c.Name != cluster.Name).Select(c => c.Name).ToList();
        var candidates = others.Select(o => (IReadOnlyList<string>)[o])
            .Concat(others.SelectMany(a => others.Where(b => b != a).Select(b => (IReadOnlyList<string>)[a, b])))
            .Where(l => Priority(clusters, cluster, l) is not null)
            .OrderByDescending(l => l[0] == cluster.Failover[0])
            .ThenByDescending(l => l.Count)
            .ToList();
        var same = clusters.Where(c => c.Name != cluster.Name && c.Network == cluster.Network).Select(c => c.Name).ToList();
        var how = $"Istio keeps traffic in \"{cluster.Name}\", then prefers the clusters on its network"
            + (same.Count > 0 ? $" ({string.Join(", ", same)}) as equals" : " (none)")
            + ", then ranks at most one cluster of another network ahead of the rest, which are equals";
        var fix = candidates.Count > 0
            ? $"list an order it can honour, e.g. [{string.Join(", ", candidates[0])}]"
            : "give the clusters their own networks, or remove failover";
        return $"[{string.Join(", ", cluster.Failover)}] is an order Istio cannot honour: {how}; {fix}";
    }
}
