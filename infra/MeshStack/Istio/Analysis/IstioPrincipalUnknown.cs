using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Authorization;
using MeshStack.Security.Policy;

namespace MeshStack.Istio.Analysis;

public sealed class IstioPrincipalUnknown : IdentityMapsToNoServiceAccount
{
    public override string Id => "MS203";
    public override string Summary => "an AuthorizationPolicy principal maps to no ServiceAccount";

    protected override IEnumerable<(RenderedObject, string, string?, string?)> Identities(RenderModel model) =>
        from p in model.OfKind("security.istio.io", "AuthorizationPolicy")
        from rule in Json.Objects(p.Spec?["rules"])
        from f in Json.Objects(rule["from"])
        from principal in Json.Strings(f["source"]?["principals"]).Concat(Json.Strings(f["source"]?["notPrincipals"]))
        let parts = principal.Split('/')
        // <trust domain>/ns/<namespace>/sa/<service account>
        let ok = parts.Length == 5 && parts[1] == "ns" && parts[3] == "sa" && !principal.Contains('*')
        select (p, principal, ok ? parts[2] : null, ok ? parts[4] : null);
}
