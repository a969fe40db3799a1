using MeshStack.Analysis;
using System.Text.Json.Nodes;

namespace MeshStack.Linkerd.Analysis;

/// <summary>
/// A Linkerd Server whose port is no container port of the pods it selects protects nothing, and the real port falls
/// back to the namespace's default policy. The proxy's own ports (linkerd-admin 4191, linkerd-proxy 4143) are added
/// by the injector, so they count.
/// </summary>
public sealed class ServerPortUnknown : AnalysisRule
{
    private static readonly Dictionary<string, int> ProxyPorts = new(StringComparer.Ordinal) { ["linkerd-admin"] = 4191, ["linkerd-proxy"] = 4143 };

    public override string Id => "MS206";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Linkerd Server's port is not a port of the pods it selects";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var s in model.OfKind("policy.linkerd.io", "Server"))
        {
            var port = s.Spec?["port"];
            var pods = model.PodsSelectedBy(s.Cluster, s.Namespace, s.Spec?["podSelector"]?["matchLabels"] as JsonObject).ToList();
            if (pods.Count == 0 || port is null) continue;
            var name = Json.Str(port);
            var number = Json.Int(port);
            if (name is not null && ProxyPorts.ContainsKey(name)) continue;
            if (number is { } n && ProxyPorts.ContainsValue(n)) continue;
            foreach (var pod in pods)
            {
                var ports = pod.Containers.SelectMany(c => Json.Objects(c["ports"])).ToList();
                var found = name is not null && !int.TryParse(name, out _)
                    ? ports.Any(p => Json.Str(p["name"]) == name)
                    : ports.Any(p => Json.Int(p["containerPort"]) == number);
                if (!found)
                    yield return At(s, $"port {port.ToJsonString()} is not a container port of {pod.Owner.Kind} {pod.Owner.Name}: the Server protects nothing",
                        "name a port the containers declare");
            }
        }
    }
}
