using System.Text.Json.Nodes;
using MeshStack.Kubernetes;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd's own HA settings (the charts' values-ha.yaml at edge-26.8.3), applied when the stack is replicated.
/// The control plane's three replicas with required anti-affinity fill a three-node cluster, so a rolling update can
/// only go forward by taking one old pod down first (maxUnavailable 1): the chart's default 25% rounds to 0 for three
/// pods and its surge pod never schedules. linkerd-viz's PodDisruptionBudgets and anti-affinity only apply above one
/// replica, so tap and the tap injector (which must answer when app pods are created) run three.
/// </summary>
public static class LinkerdHighAvailability
{
    public const int ControllerReplicas = 3;
    public const int VizTapReplicas = 3;

    private static JsonObject Resources(string cpuRequest, string memoryRequest, string memoryLimit) => new()
    {
        ["cpu"] = new JsonObject { ["limit"] = "", ["request"] = cpuRequest },
        ["memory"] = new JsonObject { ["limit"] = memoryLimit, ["request"] = memoryRequest },
    };

    /// <summary>Merged into the release's values: certificates and tracing settings under the same keys stay.</summary>
    public static void AddToControlPlane(JsonObject values) => JsonMerge.Into(values, ControlPlane());

    public static void AddToViz(JsonObject values) => JsonMerge.Into(values, Viz());

    private static JsonObject ControlPlane()
    {
        var values = new JsonObject();
        values["highAvailability"] = true;
        values["controllerReplicas"] = ControllerReplicas;
        values["enablePodDisruptionBudget"] = true;
        values["controller"] = new JsonObject { ["podDisruptionBudget"] = new JsonObject { ["maxUnavailable"] = 1 } };
        values["deploymentStrategy"] = new JsonObject { ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = "25%" } };
        values["enablePodAntiAffinity"] = true;
        // with several replicas a pod is never admitted without its proxy
        values["webhookFailurePolicy"] = "Fail";
        values["proxy"] = new JsonObject
        {
            ["resources"] = new JsonObject
            {
                ["cpu"] = new JsonObject { ["request"] = "100m" },
                ["memory"] = new JsonObject { ["limit"] = "250Mi", ["request"] = "20Mi" },
            },
        };
        // values-ha.yaml also sizes each controller container (destinationResources, identityResources, ...): the
        // templates read those keys but the chart's values.yaml does not declare them, so the upstream check of every
        // render refuses them; the controllers keep the chart's unset defaults
        return values;
    }

    private static JsonObject Viz()
    {
        var values = new JsonObject();
        values["enablePodAntiAffinity"] = true;
        values["enablePodDisruptionBudget"] = true;
        values["resources"] = Resources("100m", "50Mi", "250Mi");
        values["tap"] = new JsonObject { ["replicas"] = VizTapReplicas, ["resources"] = Resources("100m", "50Mi", "250Mi") };
        // not in upstream's viz HA values: the injector's webhook ignores failures, so while it is down new pods start without tap
        values["tapInjector"] = new JsonObject { ["replicas"] = VizTapReplicas, ["resources"] = Resources("100m", "50Mi", "250Mi") };
        values["dashboard"] = new JsonObject { ["resources"] = Resources("100m", "50Mi", "250Mi") };
        values["prometheus"] = new JsonObject { ["resources"] = Resources("300m", "300Mi", "8192Mi") };
        return values;
    }
}
