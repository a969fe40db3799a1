using System.Text.RegularExpressions;

namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>
/// A Gateway API backendRef must name a Service (and port) of the route's namespace; the Gateway API then reports
/// ResolvedRefs=False and the rule answers 500. Linkerd's mirrored Services (<c>name-&lt;cluster&gt;</c>) are made by
/// the service mirror of a Link, so they resolve when the Link exists and the target cluster renders the Service.
/// </summary>
public sealed class GatewayBackendUnknown : AnalysisRule
{
    public override string Id => "MS105";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "an HTTPRoute backendRef names no Service or port (mirrored Services resolve through their Link)";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute"))
        {
            foreach (var b in Json.Objects(route.Spec?["rules"]).SelectMany(r => Json.Objects(r["backendRefs"])))
            {
                if ((Json.Str(b["kind"]) ?? "Service") != "Service" || (Json.Str(b["group"]) ?? "") != "") continue;
                var name = Json.Str(b["name"]) ?? "";
                var ns = Json.Str(b["namespace"]) ?? route.Namespace ?? "default";
                var service = ServiceResolver.Find(model, route.Cluster, name, ns);
                IEnumerable<int> ports;
                if (service is not null) ports = ServiceResolver.Ports(service);
                else if (Mirrored(model, route.Cluster, name, ns) is { } remote) ports = ServiceResolver.Ports(remote);
                else
                {
                    yield return At(route, $"backendRef {ns}/{name} is no Service in cluster {route.Cluster} (nor a Service mirrored by a Link)", "route to a rendered Service, or link the cluster that exports it");
                    continue;
                }
                if (Json.Int(b["port"]) is { } port && !ports.Contains(port))
                    yield return At(route, $"backendRef {ns}/{name} port {port} is not a port of the Service ({string.Join(", ", ports)})", "use one of the Service's ports");
            }
        }
    }

    /// <summary>The remote Service a Link's service mirror creates as <c>name-&lt;target cluster&gt;</c>.</summary>
    private static Security.Policy.RenderedObject? Mirrored(RenderModel model, string cluster, string name, string ns)
    {
        foreach (var link in model.OfKind("multicluster.linkerd.io", "Link", cluster))
        {
            var target = Json.Str(link.Spec?["targetClusterName"]) ?? link.Name;
            if (!name.EndsWith("-" + target, StringComparison.Ordinal)) continue;
            var remote = ServiceResolver.Find(model, target, name[..^(target.Length + 1)], ns);
            if (remote is not null) return remote;
        }
        return null;
    }
}
