using MeshStack.Config;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis;

/// <summary>Which rendered pods get a proxy, and the per-cluster object lists the simulators take.</summary>
public static class Mesh
{
    public static bool IsMeshed(RenderModel model, WorkloadPod pod)
    {
        var ns = model.OfKind("", "Namespace", pod.Owner.Cluster).FirstOrDefault(n => n.Name == pod.Owner.Namespace);
        var podMeta = pod.Template["metadata"];
        if (model.Mesh == MeshKind.Istio)
        {
            if (Json.Str(podMeta?["labels"]?["sidecar.istio.io/inject"]) is { } own) return own == "true";
            return Json.Str(ns?.Object["metadata"]?["labels"]?["istio-injection"]) == "enabled";
        }
        if (Json.Str(podMeta?["annotations"]?["linkerd.io/inject"]) is { } podInject) return podInject is "enabled" or "ingress";
        return Json.Str(ns?.Object["metadata"]?["annotations"]?["linkerd.io/inject"]) is "enabled" or "ingress";
    }

    public static IReadOnlyList<System.Text.Json.Nodes.JsonObject> ObjectsIn(RenderModel model, string cluster) => model.ObjectsIn(cluster);

    /// <summary>The name of a container port given by name or number, for Linkerd Servers (which select ports by name).</summary>
    public static string? PortName(WorkloadPod pod, System.Text.Json.Nodes.JsonNode? port)
    {
        if (Json.Str(port) is { } name && !int.TryParse(name, out _)) return name;
        var number = Json.Int(port);
        return pod.Containers.SelectMany(c => Json.Objects(c["ports"])).Where(p => Json.Int(p["containerPort"]) == number).Select(p => Json.Str(p["name"])).FirstOrDefault();
    }
}
