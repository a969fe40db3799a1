using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Analysis.Simulation;

/// <summary>
/// Evaluates rendered Linkerd policy for one pod port, as the inbound proxy does: the Servers selecting the pod
/// and port; without one, the namespace's default inbound policy. With inbound HTTPRoutes, the most specific
/// matching route (Gateway API precedence) is chosen and its AuthorizationPolicies decide (each one's required
/// authentications must all hold); no matching route is a denial.
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
        if (server["spec"]?["accessPolicy"]?.GetValue<string>() is { } access && access != "deny")
            throw new NotSupportedException($"accessPolicy {access}");

        var routes = Kind("HTTPRoute", ns).Where(rt => (rt["spec"]!["parentRefs"] as JsonArray ?? [])
            .Any(p => p!["kind"]?.GetValue<string>() == "Server" && p["name"]!.GetValue<string>() == Name(server))).ToList();
        var targets = new List<(string Kind, string Name)> { ("Server", Name(server)) };
        if (routes.Count > 0)
        {
            var best = routes
                .SelectMany(rt => rt["spec"]!["rules"]!.AsArray().SelectMany(rule => rule!["matches"]!.AsArray()).Select(m => (Route: rt, Match: (JsonObject)m!)))
                .Where(x => Matches(x.Match, r))
                .OrderByDescending(x => Specificity(x.Match))
                .Select(x => x.Route).FirstOrDefault();
            if (best is null) return new AuthorizationVerdict(false, $"no HTTPRoute of Server {Name(server)} matches the request", [$"Server/{ns}/{Name(server)}"]);
            // authorizations on the Server itself do not reach traffic that routes classify
            targets = [("HTTPRoute", Name(best))];
        }
        var policies = Kind("AuthorizationPolicy", ns)
            .Where(p => targets.Contains((p["spec"]!["targetRef"]!["kind"]!.GetValue<string>(), p["spec"]!["targetRef"]!["name"]!.GetValue<string>())))
            .ToList();
        var target = $"{targets[0].Kind}/{ns}/{targets[0].Name}";
        var allowing = policies.Where(p => p["spec"]!["requiredAuthenticationRefs"]!.AsArray().All(a => Authenticated(ns, (JsonObject)a!, r))).ToList();
        return allowing.Count > 0
            ? new AuthorizationVerdict(true, $"{target} is authorized for this caller", allowing.Select(p => $"AuthorizationPolicy/{ns}/{Name(p)}").Prepend(target).ToList())
            : new AuthorizationVerdict(false, $"no AuthorizationPolicy on {target} admits this caller", policies.Select(p => $"AuthorizationPolicy/{ns}/{Name(p)}").Prepend(target).ToList());
    }

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

    private static bool Matches(JsonObject m, InboundRequest r)
    {
        if (m["method"]?.GetValue<string>() is { } method && method != r.Method) return false;
        if (m["headers"] is not null || m["queryParams"] is not null) throw new NotSupportedException("header/query matches");
        var type = m["path"]?["type"]?.GetValue<string>() ?? "PathPrefix";
        var value = m["path"]?["value"]?.GetValue<string>() ?? "/";
        return type switch
        {
            "Exact" => r.Path == value,
            // Gateway API prefixes match whole path elements, ignoring a trailing slash
            "PathPrefix" => value.TrimEnd('/') is var p && (p.Length == 0 || r.Path == p || r.Path.StartsWith(p + "/", StringComparison.Ordinal)),
            "RegularExpression" => Regex.IsMatch(r.Path, $"^(?:{value})$"),
            _ => throw new NotSupportedException(type),
        };
    }

    /// <summary>Gateway API precedence: exact path, then the longest prefix, then regex; a method match ranks higher.</summary>
    private static (int, int, int) Specificity(JsonObject m)
    {
        var type = m["path"]?["type"]?.GetValue<string>() ?? "PathPrefix";
        var value = m["path"]?["value"]?.GetValue<string>() ?? "/";
        return (type switch { "Exact" => 3, "PathPrefix" => 2, _ => 1 }, type == "PathPrefix" ? value.Length : 0, m["method"] is null ? 0 : 1);
    }
}
