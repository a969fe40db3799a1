using MeshStack.Config;

namespace MeshStack.Analysis.Rules.Authorization;

/// <summary>
/// A grant to the ingress identity on a service that no edge route sends traffic to is an open door nobody uses;
/// a public service (the topology's <c>Public</c>) that no edge route reaches cannot be reached from outside.
/// Judged only when the stack has an edge.
/// </summary>
public sealed class IngressGrantWithoutEdge : AnalysisRule
{
    public override string Id => "MS213";
    // a warning: a public service left off the edge on purpose (an API-only stack) is a choice, not a fault
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "the ingress is granted access to a service no edge route reaches, or a public service has no edge route";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var ns = model.Topology.Namespace;
        foreach (var cluster in model.Clusters)
        {
            var edgeTargets = EdgeTargets(model, cluster).ToHashSet(StringComparer.Ordinal);
            foreach (var service in model.Topology.Services)
            {
                var svc = ServiceResolver.Find(model, cluster, service.Name, ns);
                if (svc is null) continue;
                var granted = model.Mesh.IngressGranted(model, cluster, service.Name);
                if (granted && edgeTargets.Count == 0)
                    yield return At(svc, $"the ingress identity is authorized on {service.Name}, but the stack renders no edge in {cluster}", $"add {ConfigKeys.Traffic.FullName}.edge, or drop the ingress grant");
                else if (edgeTargets.Count == 0) continue;
                else if (granted && !edgeTargets.Contains(service.Name))
                    yield return At(svc, $"the ingress identity is authorized on {service.Name}, but no edge route sends traffic to it", "route the edge host to the service, or drop the ingress grant");
                else if (service.Public && !edgeTargets.Contains(service.Name))
                    yield return At(svc, $"{service.Name} is public, but no edge route reaches it", $"add an edge host for it in {ConfigKeys.Traffic.FullName}.edge");
            }
        }
    }

    /// <summary>The services edge routes send to: Istio VirtualServices bound to a Gateway, Gateway API routes on a Gateway, Ingress backends.</summary>
    private static IEnumerable<string> EdgeTargets(RenderModel model, string cluster)
    {
        foreach (var vs in model.OfKind("networking.istio.io", "VirtualService", cluster).Where(v => Json.Strings(v.Spec?["gateways"]).Any(g => g != "mesh")))
        foreach (var d in Json.Objects(vs.Spec?["http"]).SelectMany(r => Json.Objects(r["route"])))
            if (ServiceResolver.Parse(Json.Str(d["destination"]?["host"]) ?? "", vs.Namespace ?? "default") is { } t) yield return t.Name;
        foreach (var r in model.OfKind("gateway.networking.k8s.io", "HTTPRoute", cluster).Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => (Json.Str(p["kind"]) ?? "Gateway") == "Gateway")))
        foreach (var b in Json.Objects(r.Spec?["rules"]).SelectMany(x => Json.Objects(x["backendRefs"])))
            if (Json.Str(b["name"]) is { } name) yield return name;
        foreach (var ing in model.OfKind("networking.k8s.io", "Ingress", cluster))
        foreach (var path in Json.Objects(ing.Spec?["rules"]).SelectMany(r => Json.Objects(r["http"]?["paths"])))
            if (Json.Str(path["backend"]?["service"]?["name"]) is { } name) yield return name;
    }
}
