namespace MeshStack.Analysis.Rules.Reachability;

/// <summary>A route attached to a parent that is not rendered is attached to nothing: none of its rules apply.</summary>
public sealed class RouteParentUnknown : AnalysisRule
{
    public override string Id => "MS106";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "an HTTPRoute's parentRef (Service, Server or Gateway) is not rendered";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var routes = model.OfKind("gateway.networking.k8s.io", "HTTPRoute").Concat(model.OfKind("policy.linkerd.io", "HTTPRoute"));
        foreach (var route in routes)
        {
            foreach (var p in Json.Objects(route.Spec?["parentRefs"]))
            {
                var kind = Json.Str(p["kind"]) ?? "Gateway";
                var name = Json.Str(p["name"]) ?? "";
                var ns = Json.Str(p["namespace"]) ?? route.Namespace;
                var group = kind switch { "Service" => "", "Server" => "policy.linkerd.io", _ => "gateway.networking.k8s.io" };
                if (model.IsChartNamespace(route.Cluster, ns)) continue;
                if (!model.OfKind(group, kind, route.Cluster).Any(o => o.Name == name && o.Namespace == ns))
                    yield return At(route, $"parentRef {kind} {ns}/{name} is not rendered in cluster {route.Cluster}: the route applies to nothing", $"attach the route to a rendered {kind}");
            }
        }
    }
}
