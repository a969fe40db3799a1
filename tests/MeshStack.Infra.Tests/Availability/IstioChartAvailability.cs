using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Availability;

/// <summary>
/// What the Istio charts run for a release's values: the pods kept at least (the Deployment's replicas or, with an
/// autoscaler, its minReplicas: the HorizontalPodAutoscaler raises a Deployment below its floor whatever the metrics
/// say) and the pods a voluntary disruption (a node drain) must leave running. Templates at istio/istio release-1.31
/// (a8d7012, whose chart files are the 1.31.1 release's):
/// gateway: templates/deployment.yaml 13-17 (replicas only without autoscaling), hpa.yaml 1 and 18 (an HPA with
/// minReplicas), poddisruptionbudget.yaml 1-3 (a PDB only when podDisruptionBudget is set and more than one pod is
/// kept) and 17-19 (its spec is podDisruptionBudget); values.yaml 83-86 (autoscaling on, minReplicas 1), 188 ({} = no PDB).
/// istiod (istio-control/istio-discovery): templates/deployment.yaml 26-30, autoscale.yaml 4 and 19-20,
/// poddisruptionbudget.yaml 4-6 and 22-26; values.yaml 4-8 (autoscaleEnabled, autoscaleMin 1), 238-239
/// (global.defaultPodDisruptionBudget.enabled), 583-586 (pdb.minAvailable 1).
/// </summary>
public sealed record IstioChartAvailability(int Floor, int SurvivingDrain)
{
    public static string ValuesFile(string chart) =>
        Path.Combine(Repo.Shared!, "upstream", "istio", "charts", chart == "gateway" ? "gateway" : "istiod", "values.yaml");

    public static IstioChartAvailability Of(string chart, JsonObject releaseValues)
    {
        var v = ChartValues.Effective(ValuesFile(chart), releaseValues);
        return chart == "gateway" ? Gateway(v) : Istiod(v);
    }

    private static IstioChartAvailability Gateway(JsonObject v)
    {
        var autoscaling = v["autoscaling"] as JsonObject ?? [];
        var autoscaled = ChartValues.Truthy(autoscaling["enabled"]);
        var hpa = autoscaled && (v["kind"]?.GetValue<string>() ?? "Deployment") == "Deployment";
        var replicas = !autoscaled && v["replicaCount"] is { } rc ? ChartValues.Int(rc) : 1;
        var floor = hpa ? ChartValues.Int(autoscaling["minReplicas"]) : replicas;
        var pdbSpec = v["podDisruptionBudget"] as JsonObject;
        var pdb = ChartValues.Truthy(pdbSpec)
            && ((autoscaled && ChartValues.Int(autoscaling["minReplicas"]) > 1) || (!autoscaled && ChartValues.Int(v["replicaCount"]) > 1));
        return new(floor, pdb ? Surviving(floor, pdbSpec!["minAvailable"], pdbSpec["maxUnavailable"]) : 0);
    }

    private static IstioChartAvailability Istiod(JsonObject v)
    {
        var autoscaled = ChartValues.Truthy(v["autoscaleEnabled"]);
        var hpa = autoscaled && ChartValues.Truthy(v["autoscaleMin"]) && ChartValues.Truthy(v["autoscaleMax"]);
        var replicas = !autoscaled && ChartValues.Truthy(v["replicaCount"]) ? ChartValues.Int(v["replicaCount"]) : 1;
        var floor = hpa ? ChartValues.Int(v["autoscaleMin"]) : replicas;
        var pdbOn = ChartValues.Truthy(v["global"]?["defaultPodDisruptionBudget"]?["enabled"])
            && ((autoscaled && ChartValues.Int(v["autoscaleMin"]) > 1) || (!autoscaled && ChartValues.Int(v["replicaCount"]) > 1));
        var pdb = v["pdb"] as JsonObject ?? [];
        // minAvailable unless maxUnavailable is set (poddisruptionbudget.yaml 22-26)
        var minAvailable = pdb.ContainsKey("maxUnavailable") ? null : pdb["minAvailable"];
        return new(floor, pdbOn ? Surviving(floor, minAvailable, pdb["maxUnavailable"]) : 0);
    }

    /// <summary>Without a budget a drain may evict every pod at once; with one, the eviction API keeps what it promises.</summary>
    private static int Surviving(int floor, JsonNode? minAvailable, JsonNode? maxUnavailable) =>
        ChartValues.Truthy(minAvailable) ? Math.Min(floor, ChartValues.Int(minAvailable))
        : ChartValues.Truthy(maxUnavailable) ? Math.Max(0, floor - ChartValues.Int(maxUnavailable))
        : 0;
}
