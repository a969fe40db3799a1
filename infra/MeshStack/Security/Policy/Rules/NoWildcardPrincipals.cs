using System.Text.Json.Nodes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>
/// Authorization names callers one by one: no <c>*</c> principals or identities, no ALLOW rule without a source,
/// no whole-namespace or any-meshed-client grants. Network (unauthenticated) authorization is allowed only on
/// routes that match nothing but probe paths, because the kubelet has no mesh identity. The one exception is
/// deliberate: a Linkerd Server admitting unauthenticated clients in a namespace whose mTLS mode is permissive,
/// which is what permissive means (clients still being meshed); prod refuses permissive on its own rule.
/// </summary>
public sealed class NoWildcardPrincipals : PolicyRule
{
    public override string Id => "no-wildcard-principals";
    public override string Summary => "authorization grants name individual identities; unauthenticated access only to probe paths";

    private const string Fix = "grant each calling ServiceAccount by its exact principal/identity, derived from the topology's calls";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context) =>
        Istio(context).Concat(Linkerd(context));

    private IEnumerable<PolicyFinding> Istio(PolicyContext context)
    {
        foreach (var p in context.OfKind("security.istio.io", "AuthorizationPolicy"))
        {
            var action = p.Spec?["action"]?.GetValue<string>() ?? "ALLOW";
            if (action != "ALLOW") continue;
            foreach (var rule in (p.Spec?["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var sources = (rule["from"] as JsonArray ?? []).Select(f => f?["source"]).OfType<JsonObject>().ToList();
                if (sources.Count == 0) { yield return Finding(p, "an ALLOW rule without 'from' admits any caller", Fix); continue; }
                foreach (var s in sources)
                {
                    var principals = Strings(s["principals"]);
                    if (principals.Count == 0) yield return Finding(p, "an ALLOW source without principals (namespaces, IPs or any caller)", Fix);
                    foreach (var w in principals.Where(x => x.Contains('*')))
                        yield return Finding(p, $"wildcard principal '{w}'", Fix);
                }
            }
        }
    }

    private IEnumerable<PolicyFinding> Linkerd(PolicyContext context)
    {
        foreach (var m in context.OfKind("policy.linkerd.io", "MeshTLSAuthentication"))
        {
            foreach (var w in Strings(m.Spec?["identities"]).Where(x => x.Contains('*')))
                yield return Finding(m, $"wildcard identity '{w}'", Fix);
            foreach (var r in (m.Spec?["identityRefs"] as JsonArray ?? []).OfType<JsonObject>())
                if (r["kind"]?.GetValue<string>() != "ServiceAccount" || r["name"] is null)
                    yield return Finding(m, $"identityRef to a whole {r["kind"]?.GetValue<string>() ?? "?"}", Fix);
        }
        foreach (var s in context.OfKind("policy.linkerd.io", "Server"))
        {
            var access = s.Spec?["accessPolicy"]?.GetValue<string>() ?? "deny";
            // read from the rendered namespace, so a render directory (no stack config) is judged the same
            var permissive = context.Objects.Any(n => n.Cluster == s.Cluster && n.Is("", "Namespace") && n.Name == s.Namespace
                && n.Object["metadata"]?["annotations"]?[MeshStack.Linkerd.LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation]?.GetValue<string>()
                    == MeshStack.Linkerd.LinkerdSecurityRenderer.DefaultInboundPolicy(Config.MtlsMode.Permissive));
            if (access != "deny" && !(access == "all-unauthenticated" && permissive))
                yield return Finding(s, $"accessPolicy '{access}' admits callers nobody authorized", "leave accessPolicy at deny and authorize callers explicitly");
        }
        var probePaths = context.Topology.Services.SelectMany(AuthorizationIntent.ProbeRoutes).Select(r => r.Path.Value)
            .Concat(["/live", "/ready"]).ToHashSet(StringComparer.Ordinal);
        var routes = context.OfKind("policy.linkerd.io", "HTTPRoute").ToList();
        foreach (var p in context.OfKind("policy.linkerd.io", "AuthorizationPolicy"))
        {
            var refs = (p.Spec?["requiredAuthenticationRefs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (!refs.Any(r => r["kind"]?.GetValue<string>() is "NetworkAuthentication" or "Namespace")) continue;
            var target = p.Spec?["targetRef"];
            var route = target?["kind"]?.GetValue<string>() == "HTTPRoute"
                ? routes.FirstOrDefault(r => r.Cluster == p.Cluster && r.Namespace == p.Namespace && r.Name == target["name"]?.GetValue<string>())
                : null;
            var matches = (route?.Spec?["rules"] as JsonArray ?? []).SelectMany(r => r?["matches"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var probesOnly = matches.Count > 0 && matches.All(m =>
                m["method"]?.GetValue<string>() == "GET" && m["path"]?["type"]?.GetValue<string>() == "Exact"
                && probePaths.Contains(m["path"]?["value"]?.GetValue<string>() ?? ""));
            if (!probesOnly)
                yield return Finding(p, "unauthenticated (network or namespace) authorization on something other than probe paths", Fix);
        }
    }

    private static List<string> Strings(JsonNode? n) => (n as JsonArray ?? []).Select(x => x?.GetValue<string>() ?? "").ToList();
}
