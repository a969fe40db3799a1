using System.Text.Json.Nodes;

namespace MeshStack.Istio;

/// <summary>
/// How many pods an Istio gateway (the <c>gateway</c> chart: ingress and east-west) runs, and its disruption budget.
/// The chart ignores <c>replicaCount</c> while <c>autoscaling.enabled</c> (its default) and leaves the floor to the
/// HorizontalPodAutoscaler's <c>minReplicas</c> (default 1), and it renders no PodDisruptionBudget unless one is asked
/// for: a replicated stack sets both, keeping the autoscaler so a gateway can still grow under load.
/// </summary>
public static class IstioGatewayAvailability
{
    /// <summary>The gateway pods a replicated stack keeps at least, and how many of them must survive a voluntary disruption.</summary>
    public const int ReplicatedMinimum = 2;

    public static void AddTo(JsonObject values, int serviceReplicas)
    {
        if (serviceReplicas <= 1) return;
        values["autoscaling"] = new JsonObject { ["enabled"] = true, ["minReplicas"] = ReplicatedMinimum };
        values["podDisruptionBudget"] = new JsonObject { ["minAvailable"] = 1 };
    }
}
