using MeshStack.Analysis;
namespace MeshStack.Istio.Analysis;

/// <summary>
/// An Istio RequestAuthentication only rejects invalid tokens; a request without one passes unless an
/// AuthorizationPolicy requires a requestPrincipal. A workload that validates tokens but never requires one accepts
/// anonymous requests.
/// </summary>
public sealed class JwtNotEnforced : AnalysisRule
{
    public override string Id => "MS211";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a RequestAuthentication selects a workload that no AuthorizationPolicy requires a token for";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var ra in model.OfKind("security.istio.io", "RequestAuthentication"))
        {
            var selector = ra.Spec?["selector"]?["matchLabels"] as System.Text.Json.Nodes.JsonObject;
            var pods = model.PodsSelectedBy(ra.Cluster, ra.Namespace, selector).ToList();
            foreach (var pod in pods)
            {
                var requires = model.OfKind("security.istio.io", "AuthorizationPolicy", ra.Cluster)
                    .Where(p => p.Namespace == ra.Namespace && LabelSelector.Matches(p.Spec?["selector"]?["matchLabels"] as System.Text.Json.Nodes.JsonObject, pod.Labels))
                    .SelectMany(p => Json.Objects(p.Spec?["rules"]))
                    .SelectMany(r => Json.Objects(r["from"]))
                    .Any(f => f["source"]?["requestPrincipals"] is not null || f["source"]?["notRequestPrincipals"] is not null);
                if (!requires)
                    yield return At(ra, $"tokens are validated for {pod.Owner.Kind} {pod.Owner.Name} but never required: requests without a token are let through",
                        "add an AuthorizationPolicy that requires requestPrincipals on the protected paths");
            }
        }
    }
}
