using System.Text.Json.Nodes;

namespace MeshStack.Analysis;

/// <summary>Resolves a host (short name, name.ns, or name.ns.svc.cluster.local) to a rendered Service in a cluster.</summary>
public static class ServiceResolver
{
    /// <summary>Null when the host is not a cluster-local name (an external host is not ours to judge).</summary>
    public static (string Name, string Namespace)? Parse(string host, string defaultNamespace)
    {
        var parts = host.Split('.');
        if (host.Contains('*')) return null;
        return parts.Length switch
        {
            1 => (parts[0], defaultNamespace),
            2 => (parts[0], parts[1]),
            _ when host.EndsWith(".svc.cluster.local", StringComparison.Ordinal) && parts.Length == 5 => (parts[0], parts[1]),
            _ => null,
        };
    }

    public static Security.Policy.RenderedObject? Find(RenderModel model, string cluster, string name, string ns) =>
        model.Service(cluster, name, ns);

    public static IEnumerable<int> Ports(Security.Policy.RenderedObject service) =>
        Json.Objects(service.Spec?["ports"]).Select(p => Json.Int(p["port"])).OfType<int>();

    public static bool HasSelector(Security.Policy.RenderedObject service) => service.Spec?["selector"] is JsonObject { Count: > 0 };
}
