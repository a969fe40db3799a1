using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Authorization;
using MeshStack.Security.Policy;

namespace MeshStack.Linkerd.Analysis;

public sealed class LinkerdIdentityUnknown : IdentityMapsToNoServiceAccount
{
    public override string Id => "MS204";
    public override string Summary => "a MeshTLSAuthentication identity or identityRef maps to no ServiceAccount";

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
