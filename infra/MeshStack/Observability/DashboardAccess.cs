using System.Globalization;
using System.Text.Json.Nodes;
using MeshStack.Kubernetes;

namespace MeshStack.Observability;

/// <summary>A port-forward command to a Service and the local URL it opens, as a stack output entry.</summary>
public static class DashboardAccess
{
    public static JsonObject PortForward(ClusterScope scope, string ns, string service, int port, string path = "/") => new()
    {
        ["portForward"] = string.Create(CultureInfo.InvariantCulture,
            $"kubectl --context {scope.Cluster.Context} -n {ns} port-forward svc/{service} {port}:{port}"),
        ["url"] = string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}{path}"),
    };
}
