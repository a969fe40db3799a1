using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Analysis.Simulation;

/// <summary>
/// Evaluates rendered Linkerd policy for one pod port, as the inbound proxy does: the Servers selecting the pod
/// and port; without one, the namespace's default inbound policy. With inbound HTTPRoutes, the best matching route
/// is chosen (linkerd2-proxy linkerd/http/route/src/http/match.rs 96-104: longest path match, then headers, query,
/// method; path lengths per match/path.rs 22-55) and no matching route is a denial. A request is authorized by any
/// of the route's AuthorizationPolicies (each one's required authentications must all hold) or by any of the
/// Server's own authorizations, which the proxy appends to every route's
/// (linkerd2-proxy linkerd/proxy/server-policy/src/authz.rs 80-89): the policies that target the Server and the
/// default its <c>accessPolicy</c> adds (linkerd2 edge-26.8.3 policy-controller/k8s/index/src/inbound/index.rs
/// 1883-1885, defaults.rs 83-129; <c>deny</c> adds none).
/// </summary>
public sealed class LinkerdAuthorizer(IReadOnlyList<JsonObject> objects)
{
    private IEnumerable<JsonObject> Kind(string kind, string ns) => objects.Where(o =>
        o["kind"]!.GetValue<string>() == kind && o["apiVersion"]!.GetValue<string>().StartsWith("policy.linkerd.io/", StringComparison.Ordinal)
        && o["metadata"]?["namespace"]?.GetValue<string>() == ns);

    private static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    public bool Allows(string ns, IReadOnlyDictionary<string, string> podLabels, string portName, InboundRequest r) =>
        Decide(ns, podLabels, portName, r).Allowed;

    public AuthorizationVerdict Decide(string ns, IReadOnlyDictionary<string, string> podLabels, string portName, InboundRequest r)
    {
        var servers = Kind("Server", ns).Where(s =>
            s["spec"]!["port"]!.GetValue<string>() == portName
            && (s["spec"]!["podSelector"]!["matchLabels"] as JsonObject ?? []).All(m => podLabels.TryGetValue(m.Key, out var v) && v == m.Value!.GetValue<string>())
            && s["spec"]!["podSelector"]!["matchExpressions"] is null).ToList();
        if (servers.Count == 0)
        {
            var (allowed, policy) = DefaultPolicy(ns, r);
            return new AuthorizationVerdict(allowed, $"no Server selects the port: the namespace default '{policy}'", [$"Namespace/{ns}"]);
        }
        // two Servers on one port is a conflict Linkerd resolves arbitrarily
        if (servers.Count > 1) throw new NotSupportedException($"{servers.Count} Servers select port {portName}: {string.Join(", ", servers.Select(Name))}");
        var server = servers[0];

        var routes = Kind("HTTPRoute", ns).Where(rt => (rt["spec"]!["parentRefs"] as JsonArray ?? [])
            .Any(p => p!["kind"]?.GetValue<string>() == "Server" && p["name"]!.GetValue<string>() == Name(server))).ToList();
        var serverName = $"Server/{ns}/{Name(server)}";
        var serverPolicies = Kind("AuthorizationPolicy", ns).Where(p => Targets(p) == ("Server", Name(server))).ToList();
        var access = server["spec"]?["accessPolicy"]?.GetValue<string>() ?? "deny";
        if (routes.Count == 0)
            return Verdict(ns, serverName, serverPolicies, AccessPolicy(access, r), access, r);
        var matched = routes
            .SelectMany(rt => rt["spec"]!["rules"]!.AsArray().SelectMany(rule => rule!["matches"]!.AsArray()).Select(m => (Route: rt, Match: (JsonObject)m!)))
            .Select(x => (x.Route, Score: Score(x.Match, r)))
            .Where(x => x.Score is not null)
            .ToList();
        if (matched.Count == 0) return new AuthorizationVerdict(false, $"no HTTPRoute of Server {Name(server)} matches the request", [serverName]);
        var top = matched.Max(x => x.Score!.Value);
        var verdicts = matched.Where(x => x.Score == top).Select(x => x.Route).DistinctBy(Name)
            .Select(route => Verdict(ns, $"HTTPRoute/{ns}/{Name(route)}",
                [.. Kind("AuthorizationPolicy", ns).Where(p => Targets(p) == ("HTTPRoute", Name(route))), .. serverPolicies], AccessPolicy(access, r), access, r))
            .ToList();
        // equally good matches from routes that decide differently: which one wins is not something to rely on
        if (verdicts.Select(v => v.Allowed).Distinct().Count() > 1)
            throw new NotSupportedException($"{r.Method} {r.Path}: equally specific routes decide differently");
        return verdicts[0];
    }

    private static (string Kind, string Name) Targets(JsonObject policy) =>
        (policy["spec"]!["targetRef"]!["kind"]!.GetValue<string>(), policy["spec"]!["targetRef"]!["name"]!.GetValue<string>());

    /// <summary>The decision on one target: its policies (the route's and the Server's), or the Server's accessPolicy default.</summary>
    private AuthorizationVerdict Verdict(string ns, string target, IReadOnlyList<JsonObject> policies, bool accessAllows, string access, InboundRequest r)
    {
        var allowing = policies.Where(p => p["spec"]!["requiredAuthenticationRefs"]!.AsArray().All(a => Authenticated(ns, (JsonObject)a!, r))).ToList();
        if (allowing.Count > 0)
            return new AuthorizationVerdict(true, $"{target} is authorized for this caller", allowing.Select(p => $"AuthorizationPolicy/{ns}/{Name(p)}").Prepend(target).ToList());
        if (accessAllows)
            return new AuthorizationVerdict(true, $"{target}: the Server's accessPolicy '{access}' admits this caller", [target]);
        return new AuthorizationVerdict(false, $"no AuthorizationPolicy on {target} admits this caller", policies.Select(p => $"AuthorizationPolicy/{ns}/{Name(p)}").Prepend(target).ToList());
    }

    /// <summary>The authorization a Server's accessPolicy adds (defaults.rs 83-129); cluster-* policies need cluster networks, not modelled.</summary>
    private static bool AccessPolicy(string policy, InboundRequest r) => policy switch
    {
        "deny" => false,
        "all-unauthenticated" or "audit" => true,
        "all-authenticated" => r.Principal is not null,
        _ => throw new NotSupportedException($"accessPolicy {policy}"),
    };

    private (bool Allowed, string Policy) DefaultPolicy(string ns, InboundRequest r)
    {
        var annotation = objects.Single(o => o["kind"]!.GetValue<string>() == "Namespace" && Name(o) == ns)["metadata"]?["annotations"]?["config.linkerd.io/default-inbound-policy"]?.GetValue<string>() ?? "all-unauthenticated";
        return (annotation switch
        {
            "all-unauthenticated" => true,
            "all-authenticated" => r.Principal is not null,
            "deny" => false,
            _ => throw new NotSupportedException(annotation),
        }, annotation);
    }

    private bool Authenticated(string ns, JsonObject reference, InboundRequest r)
    {
        var kind = reference["kind"]!.GetValue<string>();
        var target = Kind(kind, ns).Single(o => Name(o) == reference["name"]!.GetValue<string>());
        return kind switch
        {
            "MeshTLSAuthentication" => r.Principal is not null && target["spec"]!["identities"]!.AsArray()
                .Any(i => i!.GetValue<string>() is var id && (id == "*" || id == r.Principal || (id.StartsWith("*.", StringComparison.Ordinal) && r.Principal.EndsWith(id[1..], StringComparison.Ordinal)))),
            // every client address is inside one of these only when they cover all of IPv4 and IPv6
            "NetworkAuthentication" => target["spec"]!["networks"]!.AsArray().Select(n => n!["cidr"]!.GetValue<string>()).ToHashSet().IsSupersetOf(["0.0.0.0/0", "::/0"])
                ? true : throw new NotSupportedException("partial networks"),
            _ => throw new NotSupportedException(kind),
        };
    }

    /// <summary>How well a route match fits the request, or null: (path length matched, method matched).</summary>
    private static (int, int)? Score(JsonObject m, InboundRequest r)
    {
        if (m["method"]?.GetValue<string>() is { } method && method != r.Method) return null;
        if (m["headers"] is not null || m["queryParams"] is not null) throw new NotSupportedException("header/query matches");
        var type = m["path"]?["type"]?.GetValue<string>() ?? "PathPrefix";
        var value = m["path"]?["value"]?.GetValue<string>() ?? "/";
        int? length = type switch
        {
            "Exact" => r.Path == value ? value.Length : null,
            // whole segments: both the prefix's and the request's trailing slashes are ignored (path.rs 41-51)
            "PathPrefix" when value == "/" => 1,
            "PathPrefix" => value.TrimEnd('/') is var p && r.Path.TrimEnd('/') is var q && (q == p || q.StartsWith(p + "/", StringComparison.Ordinal)) ? p.Length : null,
            // anchored at both ends, the length is the whole path's (path.rs 30-39)
            "RegularExpression" => Regex.IsMatch(r.Path, $"^(?:{value})$") ? r.Path.Length : null,
            _ => throw new NotSupportedException(type),
        };
        return length is { } l ? (l, m["method"] is null ? 0 : 1) : null;
    }
}
