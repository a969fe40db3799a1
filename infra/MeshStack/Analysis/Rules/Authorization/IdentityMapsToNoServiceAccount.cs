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

    /// <summary>Every (object, identity, namespace, service account) the rule judges; namespace/sa null when the identity is a wildcard.</summary>
    protected abstract IEnumerable<(RenderedObject Object, string Identity, string? Namespace, string? ServiceAccount)> Identities(RenderModel model);

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        var charts = model.ChartWorkloads.ToList();
        var ingress = model.Mesh.Ingress;
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
