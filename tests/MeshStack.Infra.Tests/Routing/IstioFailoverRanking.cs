namespace MeshStack.Tests.Routing;

/// <summary>
/// How a sidecar ranks the clusters of a host under a DestinationRule's <c>failoverPriority</c>, following istio
/// release-1.31 (a8d7012) pilot/pkg/networking/core/loadbalancer/loadbalancer.go: priorityLabelOverrides 584-597 (an
/// entry <c>label=value</c> compares with that value instead of the proxy's), applyFailoverPriorityPerLocality
/// 601-633 (the first label that differs at index j gives priority n - j; a network mismatch on a leading network
/// entry adds n and goes on), then 561-581 (priorities compacted to 0..N). Every endpoint carries its cluster's
/// topology.istio.io/network and topology.istio.io/cluster labels, and so does the proxy.
/// </summary>
public static class IstioFailoverRanking
{
    /// <summary>Clusters grouped by rank, best first (one cluster is one endpoint set: all its endpoints share labels).</summary>
    public static List<List<string>> Rank(IReadOnlyList<string> failoverPriority, IReadOnlyDictionary<string, string> proxyLabels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> endpointLabelsByCluster)
    {
        var labels = new List<string>();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in failoverPriority)
        {
            var parts = entry.Split('=');
            labels.Add(parts[0]);
            if (parts.Length == 2) overrides[parts[0]] = parts[1];
        }
        var n = failoverPriority.Count;
        var includesNetwork = n > 0 && failoverPriority[0] == "topology.istio.io/network";
        var priority = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (cluster, epLabels) in endpointLabelsByCluster)
        {
            var p = 0;
            var adjust = 0;
            for (var j = 0; j < labels.Count; j++)
            {
                var forProxy = overrides.TryGetValue(labels[j], out var o) ? o : proxyLabels.GetValueOrDefault(labels[j], "");
                if (forProxy == epLabels.GetValueOrDefault(labels[j], "")) continue;
                if (j == 0 && includesNetwork) { adjust = n; continue; }
                p = n - j;
                break;
            }
            priority[cluster] = p + adjust;
        }
        return priority.GroupBy(kv => kv.Value).OrderBy(g => g.Key).Select(g => g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList()).ToList();
    }
}
