using MeshStack.Analysis;
namespace MeshStack.Linkerd.Analysis;

/// <summary>
/// A Linkerd AuthorizationPolicy whose target or required authentication is not rendered: a missing target authorizes
/// nothing (callers are denied); a missing authentication can never be satisfied.
/// </summary>
public sealed class LinkerdReferenceUnknown : AnalysisRule
{
    public override string Id => "MS207";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Linkerd AuthorizationPolicy's targetRef or requiredAuthenticationRefs name nothing rendered";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var p in model.OfKind("policy.linkerd.io", "AuthorizationPolicy"))
        {
            var target = p.Spec?["targetRef"];
            var kind = Json.Str(target?["kind"]) ?? "";
            var name = Json.Str(target?["name"]) ?? "";
            var exists = kind switch
            {
                "Namespace" => model.OfKind("", "Namespace", p.Cluster).Any(n => n.Name == (Json.Str(target?["name"]) ?? p.Namespace)),
                "Server" => model.OfKind("policy.linkerd.io", "Server", p.Cluster).Any(s => s.Namespace == p.Namespace && s.Name == name),
                "HTTPRoute" => model.OfKind("policy.linkerd.io", "HTTPRoute", p.Cluster).Concat(model.OfKind("gateway.networking.k8s.io", "HTTPRoute", p.Cluster))
                    .Any(r => r.Namespace == p.Namespace && r.Name == name),
                "GRPCRoute" => model.OfKind("gateway.networking.k8s.io", "GRPCRoute", p.Cluster).Any(r => r.Namespace == p.Namespace && r.Name == name),
                _ => false,
            };
            if (!exists) yield return At(p, $"targetRef {kind} {name} is not rendered in {p.Namespace}: the policy authorizes nothing", "target a rendered Server, HTTPRoute or Namespace");
            foreach (var a in Json.Objects(p.Spec?["requiredAuthenticationRefs"]))
            {
                var aKind = Json.Str(a["kind"]) ?? "";
                var aName = Json.Str(a["name"]) ?? "";
                var ns = Json.Str(a["namespace"]) ?? p.Namespace;
                var found = aKind switch
                {
                    "MeshTLSAuthentication" or "NetworkAuthentication" => model.OfKind("policy.linkerd.io", aKind, p.Cluster).Any(o => o.Namespace == ns && o.Name == aName),
                    "ServiceAccount" => model.OfKind("", "ServiceAccount").Any(o => o.Namespace == ns && o.Name == aName) || model.IsChartNamespace(p.Cluster, ns),
                    _ => false,
                };
                if (!found) yield return At(p, $"requiredAuthenticationRef {aKind} {ns}/{aName} is not rendered: no caller can satisfy it", "reference a rendered MeshTLSAuthentication or NetworkAuthentication");
            }
        }
    }
}
