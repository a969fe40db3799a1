using MeshStack.Config;
using MeshStack.Security.Policy;

namespace MeshStack.Analysis.Rules.Authorization;

/// <summary>
/// An identity granted access (an Istio principal, a Linkerd MeshTLSAuthentication identity) that is no rendered
/// ServiceAccount in any cluster of the mesh, nor one a chart makes, authorizes nobody: the caller it was meant for
/// is denied. Namespaces of charts whose ServiceAccounts are not known are not judged.
/// </summary>
public abstract class IdentityMapsToNoServiceAccount : AnalysisRule
{
    public override FindingLevel Level => FindingLevel.Error;

    protected abstract MeshKind Mesh { get; }

    /// <summary>Every (object, identity, namespace, service account) the rule judges; namespace/sa null when the identity is a wildcard.</summary>
    protected abstract IEnumerable<(RenderedObject Object, string Identity, string? Namespace, string? ServiceAccount)> Identities(RenderModel model);

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        if (model.Mesh != Mesh) yield break;
        var charts = model.ChartWorkloads.ToList();
        var ingress = Security.EdgeIdentities.Ingress(model.Mesh);
        foreach (var (o, identity, ns, sa) in Identities(model))
        {
            // the edge's identity when the stack renders no edge is MS213's finding (a grant with no edge)
            if (ns is null || sa is null || (ns == ingress.Namespace && sa == ingress.ServiceAccount)) continue;
            if (model.OfKind("", "ServiceAccount").Any(a => a.Namespace == ns && a.Name == sa)) continue;
            if (charts.Any(c => c.Namespace == ns && c.ServiceAccount == sa)) continue;
            var chartNamespace = model.Releases.Any(r => r.Namespace == ns) && !charts.Any(c => c.Namespace == ns);
            if (chartNamespace) continue;
            yield return At(o, $"identity {identity} is no ServiceAccount {ns}/{sa} of any cluster: it authorizes nobody",
                "grant the ServiceAccount the caller's pods run as (derive grants from AppTopology.Calls)");
        }
    }
}

public sealed class IstioPrincipalUnknown : IdentityMapsToNoServiceAccount
{
    public override string Id => "MS203";
    public override string Summary => "an AuthorizationPolicy principal maps to no ServiceAccount";
    protected override MeshKind Mesh => MeshKind.Istio;

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

public sealed class LinkerdIdentityUnknown : IdentityMapsToNoServiceAccount
{
    public override string Id => "MS204";
    public override string Summary => "a MeshTLSAuthentication identity or identityRef maps to no ServiceAccount";
    protected override MeshKind Mesh => MeshKind.Linkerd;

    protected override IEnumerable<(RenderedObject, string, string?, string?)> Identities(RenderModel model)
    {
        foreach (var m in model.OfKind("policy.linkerd.io", "MeshTLSAuthentication"))
        {
            foreach (var id in Json.Strings(m.Spec?["identities"]))
            {
                // <sa>.<namespace>.serviceaccount.identity.linkerd.<trust domain>
                var parts = id.Split('.');
                var ok = parts.Length >= 5 && parts[2] == "serviceaccount" && parts[3] == "identity" && !id.Contains('*');
                yield return (m, id, ok ? parts[1] : null, ok ? parts[0] : null);
            }
            foreach (var r in Json.Objects(m.Spec?["identityRefs"]).Where(r => Json.Str(r["kind"]) == "ServiceAccount"))
                yield return (m, $"ServiceAccount {Json.Str(r["name"])}", Json.Str(r["namespace"]) ?? m.Namespace, Json.Str(r["name"]));
        }
    }
}
