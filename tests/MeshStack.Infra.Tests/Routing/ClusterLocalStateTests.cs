using System.Text.Json.Nodes;
using MeshStack.Output;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Routing;

/// <summary>
/// Item 9 of issue 13: on Istio multi-primary every cluster keeps its own PostgreSQL, so a call to a service that keeps
/// state (and that service's call to its database) must stay in the caller's cluster, while stateless services still
/// reach every cluster that runs them (see <see cref="IstioEndpointView"/> for istiod's rules).
/// </summary>
public class ClusterLocalStateTests
{
    /// <summary>Every call of the app, plus each stateful service's connection to its database.</summary>
    private static IEnumerable<(string From, string To, bool Stateful)> Calls()
    {
        var app = EcommerceApp.Declare();
        foreach (var call in app.Calls) yield return (call.From.Name, call.To.Name, call.To.UsesDatabase);
        foreach (var s in app.Services.Where(s => s.UsesDatabase)) yield return (s.Name, "postgres", true);
    }

    /// <summary>Where a call from <paramref name="from"/> in each cluster may land: (cluster, callee, clusters reached).</summary>
    public static IEnumerable<(string Cluster, string From, string To, bool Stateful, IReadOnlyList<string> Reached)> Routes(EmittedStack stack)
    {
        var view = new IstioEndpointView(stack);
        foreach (var cluster in view.Clusters)
        {
            foreach (var (from, to, stateful) in Calls())
            {
                if (!view.RunsPods(cluster, from, "ecommerce")) continue;
                // Flagger routes the callee's host to its -primary and -canary Services: both must stay local
                var hosts = view.RunsPods(cluster, to, "ecommerce") && !stack.Manifests.Any(m => m.Cluster == cluster && m.FileName == $"ecommerce-virtualservice-{to}.yaml")
                    && stack.Manifests.Any(m => m.Cluster == cluster && m.FileName == $"ecommerce-canary-{to}.yaml")
                    ? new[] { $"{to}-primary", $"{to}-canary" } : [to];
                foreach (var host in hosts) yield return (cluster, from, host, stateful, view.Reachable(cluster, host, "ecommerce"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(StackCorpus.IstioNames), MemberType = typeof(StackCorpus))]
    public void Istio_calls_to_stateful_services_and_their_database_stay_in_the_callers_cluster(string name)
    {
        var stack = CorpusRender.Of(name);
        var view = new IstioEndpointView(stack);
        var routes = Routes(stack).ToList();
        Assert.Contains(routes, r => r.From == "order" && r.To == "inventory");
        foreach (var r in routes)
        {
            var running = view.Clusters.Where(c => view.RunsPods(c, r.To, "ecommerce")).ToList();
            if (r.Stateful)
                Assert.True(r.Reached.SequenceEqual([r.Cluster]), $"{name}: {r.From} in {r.Cluster} -> {r.To} reaches [{string.Join(", ", r.Reached)}]");
            else
                // stateless callees keep cross-cluster failover: every cluster that runs them
                Assert.True(r.Reached.SequenceEqual(running), $"{name}: {r.From} in {r.Cluster} -> {r.To} reaches [{string.Join(", ", r.Reached)}], runs in [{string.Join(", ", running)}]");
        }
    }

    /// <summary>Seeded fault: the same render without the cluster-local settings sends east's order to west's inventory.</summary>
    [Fact]
    public void Seeded_fault_without_cluster_local_settings_east_order_reaches_west_inventory()
    {
        var stack = CorpusRender.Of("generated:istio-2-cluster");
        var program = stack.Program.DeepClone().AsObject();
        foreach (var (_, r) in program["resources"]!.AsObject())
            (r!["properties"]?["values"]?["meshConfig"] as JsonObject)?.Remove("serviceSettings");
        var view = new IstioEndpointView(stack with { Program = program });
        Assert.Equal(["east", "west"], view.Reachable("east", "inventory", "ecommerce"));
        Assert.Equal(["east"], new IstioEndpointView(stack).Reachable("east", "inventory", "ecommerce"));
    }
}
