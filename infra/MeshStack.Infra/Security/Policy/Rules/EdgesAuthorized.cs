using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Topology;

namespace MeshStack.Security.Policy.Rules;

/// <summary>
/// Every edge of the topology (service calls and ingress) is explicitly authorized, route by route, in the
/// rendered policies of every cluster that runs the callee, and the application namespace denies by default.
/// </summary>
public sealed class EdgesAuthorized : PolicyRule
{
    public override string Id => "edges-authorized";
    public override bool ReadsConfig => true;
    public override string Summary => "the app namespace denies by default and every declared call (method + path) has its explicit grant";

    private const string Fix = "derive authorization from AppTopology.Calls (the security component does); do not edit policies by hand";

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        var mesh = context.Config.Mesh;
        foreach (var config in context.Config.Clusters)
        {
            // a cluster authorizes the calls to the services that run there, including those arriving from other clusters
            var intent = AuthorizationIntent.InCluster(context.Config, config, context.Topology);
            var cluster = config.Name;
            var inNs = context.Objects.Where(o => o.Cluster == cluster && o.Namespace == intent.Namespace).ToList();
            var findings = mesh == MeshKind.Istio ? Istio(cluster, intent, inNs) : Linkerd(cluster, intent, inNs);
            foreach (var f in findings) yield return f;
        }
    }

    private IEnumerable<PolicyFinding> Istio(string cluster, AuthorizationIntent intent, List<RenderedObject> objects)
    {
        var policies = objects.Where(o => o.Is("security.istio.io", "AuthorizationPolicy")).ToList();
        if (!policies.Any(p => p.Spec is { } s && s["selector"] is null && s["rules"] is null && (s["action"]?.GetValue<string>() ?? "ALLOW") == "ALLOW"))
            yield return Finding($"cluster {cluster}, namespace {intent.Namespace}", new(cluster, "Namespace", null, intent.Namespace), "no allow-nothing AuthorizationPolicy: calls nobody declared are allowed", Fix);
        foreach (var g in intent.Grants)
        foreach (var route in g.Routes)
        {
            var principal = IstioSecurityRenderer.Principal(g.From);
            var paths = IstioSecurityRenderer.Paths(route.Path);
            var granted = policies.Any(p => (p.Spec?["action"]?.GetValue<string>() ?? "ALLOW") == "ALLOW"
                && p.Spec?["selector"]?["matchLabels"]?["app"]?.GetValue<string>() == g.To.Name
                && (p.Spec["rules"] as JsonArray ?? []).Any(r =>
                    Strings(r?["from"], f => f?["source"]?["principals"]).Contains(principal)
                    && (r?["to"] as JsonArray ?? []).Any(t =>
                        Strings(t?["operation"]?["methods"]).Contains(route.Method) && paths.All(Strings(t?["operation"]?["paths"]).Contains))));
            if (!granted) yield return Finding($"cluster {cluster}: {g.From.Name} -> {g.To.Name}", new(cluster, "Service", intent.Namespace, g.To.Name), $"{g.From.Name} -> {g.To.Name}: {route.Method} {route.Path} is declared but not authorized", Fix);
        }
    }

    private IEnumerable<PolicyFinding> Linkerd(string cluster, AuthorizationIntent intent, List<RenderedObject> objects)
    {
        var servers = objects.Where(o => o.Is("policy.linkerd.io", "Server")).ToList();
        var routes = objects.Where(o => o.Is("policy.linkerd.io", "HTTPRoute")).ToList();
        var policies = objects.Where(o => o.Is("policy.linkerd.io", "AuthorizationPolicy")).ToList();
        var authns = objects.Where(o => o.Is("policy.linkerd.io", "MeshTLSAuthentication")).ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var g in intent.Grants)
        {
            var serverNames = servers.Where(s => s.Spec?["podSelector"]?["matchLabels"]?["app"]?.GetValue<string>() == g.To.Name)
                .Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            if (serverNames.Count == 0)
            {
                yield return Finding($"cluster {cluster}: {g.To.Name}", new(cluster, "Service", intent.Namespace, g.To.Name), "no Server on the service's port: every caller is allowed", Fix);
                continue;
            }
            var identity = LinkerdSecurityRenderer.Identity(g.From);
            foreach (var route in g.Routes)
            {
                var routeNames = routes.Where(r =>
                        (r.Spec?["parentRefs"] as JsonArray ?? []).Any(p => serverNames.Contains(p?["name"]?.GetValue<string>() ?? ""))
                        && (r.Spec?["rules"] as JsonArray ?? []).SelectMany(x => x?["matches"] as JsonArray ?? []).Any(m => Matches(m, route)))
                    .Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
                var granted = policies.Any(p => p.Spec?["targetRef"]?["kind"]?.GetValue<string>() == "HTTPRoute"
                    && routeNames.Contains(p.Spec["targetRef"]!["name"]?.GetValue<string>() ?? "")
                    && (p.Spec["requiredAuthenticationRefs"] as JsonArray ?? []).Any(a =>
                        a?["kind"]?.GetValue<string>() == "MeshTLSAuthentication"
                        && authns.TryGetValue(a["name"]?.GetValue<string>() ?? "", out var m)
                        && Strings(m.Spec?["identities"]).Contains(identity)));
                if (!granted) yield return Finding($"cluster {cluster}: {g.From.Name} -> {g.To.Name}", new(cluster, "Service", intent.Namespace, g.To.Name), $"{g.From.Name} -> {g.To.Name}: {route.Method} {route.Path} is declared but not authorized", Fix);
            }
        }
    }

    private static bool Matches(JsonNode? m, ApiRoute route) =>
        m?["method"]?.GetValue<string>() == route.Method && m["path"]?["value"]?.GetValue<string>() == LinkerdSecurityRenderer.Path(route.Path).Value;

    private static List<string> Strings(JsonNode? n) => (n as JsonArray ?? []).Select(x => x?.GetValue<string>() ?? "").ToList();

    private static List<string> Strings(JsonNode? n, Func<JsonNode?, JsonNode?> each) =>
        (n as JsonArray ?? []).SelectMany(x => Strings(each(x))).ToList();
}
