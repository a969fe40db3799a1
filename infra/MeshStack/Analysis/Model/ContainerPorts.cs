using System.Text.Json.Nodes;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis;

/// <summary>A pod's container ports, for proxies that select ports by name (Linkerd Servers).</summary>
public static class ContainerPorts
{
    /// <summary>The name of a container port given by name or number, or null when no container declares it.</summary>
    public static string? NameOf(WorkloadPod pod, JsonNode? port)
    {
        if (Json.Str(port) is { } name && !int.TryParse(name, out _)) return name;
        var number = Json.Int(port);
        return pod.Containers.SelectMany(c => Json.Objects(c["ports"])).Where(p => Json.Int(p["containerPort"]) == number).Select(p => Json.Str(p["name"])).FirstOrDefault();
    }
}
