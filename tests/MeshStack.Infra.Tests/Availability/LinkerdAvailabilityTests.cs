using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Availability;

/// <summary>
/// Item 17 of issue 13: a replicated Linkerd stack's control plane and linkerd-viz can be upgraded and drained on a
/// three-node cluster. Charts at linkerd/linkerd2 edge-26.8.3:
/// linkerd-control-plane: templates/destination.yaml 149 (identity.yaml 123, proxy-injector.yaml 30: replicas are
/// controllerReplicas), 156-158 (strategy is deploymentStrategy), 183 with partials _affinity.tpl 13-20 (anti-affinity
/// required per host name), 106-118 (PDB maxUnavailable controller.podDisruptionBudget.maxUnavailable);
/// values.yaml 25-28 (default strategy 25%/25%), 34, 39; values-ha.yaml 6-21 and 35.
/// linkerd-viz: templates/tap.yaml 51, 58-61, 89, 154 and 169; tap-injector.yaml 45, 50-53, 80, 139 and 154 (replicas,
/// maxUnavailable 1 only with anti-affinity, a PDB only above one replica); values-ha.yaml 5-6 and 20-21.
/// </summary>
public class LinkerdAvailabilityTests
{
    private const int Nodes = 3;


    /// <summary>A component of a chart as it would run: replicas, update strategy, anti-affinity, PDB maxUnavailable (null: none).</summary>
    public sealed record Component(string Name, int Replicas, RollingUpdate.Strategy Strategy, bool AntiAffinity, int? PdbMaxUnavailable);

    private static readonly RollingUpdate.Strategy KubernetesDefault = new("25%", "25%");

    public static IEnumerable<Component> ControlPlane(JsonObject releaseValues)
    {
        var v = ChartValues.Effective(Path.Combine(Repo.Shared!, "upstream", "linkerd", "charts", "linkerd-control-plane", "values.yaml"), releaseValues);
        var ru = v["deploymentStrategy"]?["rollingUpdate"];
        var strategy = ru is null ? KubernetesDefault : new RollingUpdate.Strategy(Text(ru["maxSurge"]) ?? "25%", Text(ru["maxUnavailable"]) ?? "25%");
        var anti = ChartValues.Truthy(v["enablePodAntiAffinity"]);
        int? pdb = ChartValues.Truthy(v["enablePodDisruptionBudget"]) ? ChartValues.Int(v["controller"]?["podDisruptionBudget"]?["maxUnavailable"]) : null;
        foreach (var name in new[] { "destination", "identity", "proxy-injector" })
            yield return new Component(name, ChartValues.Int(v["controllerReplicas"]), strategy, anti, pdb);
    }

    public static IEnumerable<Component> Viz(JsonObject releaseValues)
    {
        var v = ChartValues.Effective(Path.Combine(Repo.Shared!, "upstream", "linkerd", "charts", "linkerd-viz", "values.yaml"), releaseValues);
        var anti = ChartValues.Truthy(v["enablePodAntiAffinity"]);
        foreach (var (name, key) in new[] { ("tap", "tap"), ("tap-injector", "tapInjector") })
        {
            var replicas = ChartValues.Int(v[key]?["replicas"]);
            var strategy = anti ? KubernetesDefault with { MaxUnavailable = "1" } : KubernetesDefault;
            int? pdb = ChartValues.Truthy(v["enablePodDisruptionBudget"]) && replicas > 1 ? 1 : null;
            yield return new Component(name, replicas, strategy, anti, pdb);
        }
    }

    private static string? Text(JsonNode? n) => n?.ToString();

    /// <summary>Pods left while one node is drained: anti-affinity puts one pod per node; without it, all may share the node.</summary>
    public static int SurvivingDrain(Component c) =>
        c.AntiAffinity ? c.Replicas - 1 : c.PdbMaxUnavailable is { } u ? Math.Max(0, c.Replicas - u) : 0;

    /// <summary>A drain finishes when the budget allows at least one eviction (or there is no budget).</summary>
    public static bool DrainCompletes(Component c) => c.PdbMaxUnavailable is not { } u || u >= 1;

    private static IEnumerable<Component> Components(string name)
    {
        var releases = ChartValues.Releases(ReplicatedCorpus.Emit(name)).ToList();
        var cp = releases.Where(r => r.Chart == "linkerd-control-plane").ToList();
        var viz = releases.Where(r => r.Chart == "linkerd-viz").ToList();
        Assert.NotEmpty(cp);
        Assert.Equal(cp.Count, viz.Count);
        return cp.SelectMany(r => ControlPlane(r.Values)).Concat(viz.SelectMany(r => Viz(r.Values)));
    }

    [SkippableTheoryIfNoShared]
    [MemberData(nameof(StackCorpus.LinkerdNames), MemberType = typeof(StackCorpus))]
    public void Replicated_linkerd_control_plane_and_viz_upgrade_and_drain_on_three_nodes(string name)
    {
        foreach (var c in Components(name))
        {
            Assert.True(c.Replicas >= 2, $"{name} {c.Name}: {c.Replicas} replica(s)");
            Assert.True(RollingUpdate.Completes(c.Replicas, c.Strategy, c.AntiAffinity, Nodes), $"{name} {c.Name}: a rolling update stalls on {Nodes} nodes ({c})");
            Assert.True(DrainCompletes(c), $"{name} {c.Name}: a drain never finishes");
            Assert.True(SurvivingDrain(c) >= 1, $"{name} {c.Name}: a drain leaves no pod");
        }
    }

    /// <summary>Seeded faults: what the stack rendered before (3 replicas, anti-affinity, chart strategy; viz flags at 1 replica).</summary>
    [SkippableTheoryIfNoShared]
    [InlineData(3)]
    public void Seeded_fault_three_controllers_with_anti_affinity_and_the_default_strategy_stall_and_one_tap_does_not_survive(int replicas)
    {
        var before = new JsonObject { ["controllerReplicas"] = replicas, ["enablePodAntiAffinity"] = true, ["enablePodDisruptionBudget"] = true };
        var destination = ControlPlane(before).First();
        Assert.False(RollingUpdate.Completes(destination.Replicas, destination.Strategy, destination.AntiAffinity, Nodes));
        var tap = Viz(new JsonObject { ["enablePodAntiAffinity"] = true, ["enablePodDisruptionBudget"] = true }).First();
        Assert.Null(tap.PdbMaxUnavailable);
        Assert.Equal(0, SurvivingDrain(tap));
    }
}
