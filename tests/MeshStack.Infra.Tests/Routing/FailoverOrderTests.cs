using MeshStack.Tests.Support;

namespace MeshStack.Tests.Routing;

/// <summary>
/// Item 10 of issue 13 (failover): a cluster's <c>failover</c> list is the order its callers really fail over in, or
/// the stack is refused. The ranking is Istio's (<see cref="IstioFailoverRanking"/>) over each rendered DestinationRule.
/// </summary>
public class FailoverOrderTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Labels(IEnumerable<Config.ClusterConfig> clusters) =>
        clusters.ToDictionary(c => c.Name, c => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["topology.istio.io/network"] = c.Network ?? "",
            ["topology.istio.io/cluster"] = c.Name,
        });

    /// <summary>The clusters a caller in <paramref name="cluster"/> tries, best first, for every DestinationRule rendered there.</summary>
    public static IEnumerable<(string Rule, List<List<string>> Ranking)> Rankings(Output.EmittedStack stack, IReadOnlyList<Config.ClusterConfig> clusters, string cluster)
    {
        var labels = Labels(clusters);
        foreach (var m in stack.Manifests.Where(m => m.Cluster == cluster))
        {
            var o = m.Parse();
            if (o["kind"]!.GetValue<string>() != "DestinationRule") continue;
            var locality = o["spec"]!["trafficPolicy"]?["loadBalancer"]?["localityLbSetting"];
            // without failoverPriority every cluster's endpoints are one priority (no node locality labels)
            var priority = locality?["enabled"]?.GetValue<bool>() == true && o["spec"]!["trafficPolicy"]!["outlierDetection"] is not null
                ? locality["failoverPriority"]!.AsArray().Select(e => e!.GetValue<string>()).ToList() : [];
            yield return (m.FileName, IstioFailoverRanking.Rank(priority, labels[cluster], labels));
        }
    }

    [Theory]
    [MemberData(nameof(StackCorpus.IstioNames), MemberType = typeof(StackCorpus))]
    public void Istio_callers_fail_over_from_their_own_cluster_to_the_listed_clusters_in_order(string name)
    {
        var entry = StackCorpus.Get(name);
        var config = Stacks.ConfigFromYaml(entry.Yaml);
        var stack = CorpusRender.Of(name);
        var checkedAny = false;
        foreach (var cluster in config.Clusters.Where(c => c.Failover.Count > 0))
        {
            foreach (var (rule, ranking) in Rankings(stack, config.Clusters, cluster.Name))
            {
                checkedAny = true;
                var expected = new List<string> { cluster.Name }.Concat(cluster.Failover).ToList();
                var got = ranking.Take(expected.Count).ToList();
                Assert.True(got.All(t => t.Count == 1) && got.Select(t => t[0]).SequenceEqual(expected),
                    $"{name} {cluster.Name}/{rule}: tries {string.Join(" > ", ranking.Select(t => "{" + string.Join(",", t) + "}"))}, listed {string.Join(" > ", expected)}");
            }
        }
        Assert.Equal(config.Clusters.Count > 1, checkedAny);
    }

    [Fact]
    public void Istio_failover_order_that_istio_cannot_rank_is_refused_with_its_key()
    {
        // three clusters on one network: Istio ranks the two others equal, so [west, south] cannot be followed
        var yaml = "config:\n  mesh-stack:mesh: istio\n  mesh-stack:clusters:\n"
            + "    - {name: east, context: e, server: https://e.example.com:6443, failover: [west, south]}\n"
            + "    - {name: west, context: w, server: https://w.example.com:6443}\n"
            + "    - {name: south, context: s, server: https://s.example.com:6443}\n";
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.gen.yaml");
        File.WriteAllText(file, yaml);
        var outDir = Path.Combine(dir, "out");
        var result = InProcess.Run(dir, null, "render", "--config", file, "--out", outDir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mesh-stack:clusters[0].failover: [west, south] is an order Istio cannot honour", result.Stderr);
        Assert.Contains("give the clusters their own networks, or remove failover", result.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>Seeded fault: the DestinationRule as rendered before (network then cluster) ties west and south for east.</summary>
    [Fact]
    public void Seeded_fault_network_then_cluster_priority_ties_the_two_remote_networks()
    {
        var clusters = new[] { "east", "west", "south" }.Select(n => new Config.ClusterConfig(n, n, $"net-{n}")).ToList();
        var ranking = IstioFailoverRanking.Rank(["topology.istio.io/network", "topology.istio.io/cluster"], Labels(clusters)["east"], Labels(clusters));
        Assert.Equal([["east"], ["south", "west"]], ranking);
        Assert.Equal([["east"], ["west"], ["south"]],
            IstioFailoverRanking.Rank(["topology.istio.io/network", "topology.istio.io/cluster=west"], Labels(clusters)["east"], Labels(clusters)));
    }
}
