using System.Text.Json.Nodes;
using MeshStack.Database;
using MeshStack.Flagger;
using MeshStack.Synthesis;

namespace MeshStack.Istio;

/// <summary>
/// Istio multi-primary merges the endpoints of same-named Services across clusters, but each cluster keeps its own
/// PostgreSQL: a call to a service that keeps state must reach that service in the caller's own cluster, and that
/// service its own cluster's database. So in every cluster, istiod marks the hosts of the stateful services running
/// there (with Flagger's <c>-primary</c>/<c>-canary</c> hosts when Flagger delivers them) and of the database as
/// cluster-local (<c>meshConfig.serviceSettings[].settings.clusterLocal</c>): the sidecars then get only this cluster's
/// endpoints for them. Stateless services stay mesh-wide and fail over across clusters.
/// </summary>
public sealed class IstioClusterLocalState : IStackComponent
{
    public void Configure(ClusterPlan plan)
    {
        var hosts = ClusterLocalHosts(plan);
        if (hosts.Count == 0) return;
        plan.PatchRelease("istiod", new JsonObject
        {
            ["meshConfig"] = new JsonObject
            {
                ["serviceSettings"] = new JsonArray(new JsonObject
                {
                    ["settings"] = new JsonObject { ["clusterLocal"] = true },
                    ["hosts"] = new JsonArray(hosts.Select(h => (JsonNode)h).ToArray()),
                }),
            },
        });
    }

    /// <summary>The fully qualified hosts that must not leave this cluster.</summary>
    public static IReadOnlyList<string> ClusterLocalHosts(ClusterPlan plan)
    {
        var ns = plan.Topology.Namespace;
        var stateful = plan.LocalServices.Where(s => s.UsesDatabase).ToList();
        if (stateful.Count == 0) return [];
        var names = new List<string>();
        foreach (var s in stateful)
        {
            names.Add(s.Name);
            if (plan.IsDeliveredByFlagger(s.Name)) names.AddRange([FlaggerNames.Primary(s.Name), FlaggerNames.Canary(s.Name)]);
        }
        names.Add(PostgresComponent.Name);
        return names.Select(n => IstioTrafficRenderer.Host(n, ns)).ToList();
    }
}
