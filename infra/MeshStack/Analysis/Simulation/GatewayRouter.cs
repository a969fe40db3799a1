using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Analysis.Simulation;

/// <summary>
/// Routes a request through Gateway API HTTPRoutes attached to a parent (a Service for mesh traffic, a Gateway at the
/// edge) as the Gateway API specifies and Linkerd implements: among every matching rule, the most specific match
/// wins (exact path, then the longest prefix, then a method, then more headers), ties by namespace/name. Linkerd reads
/// retries and timeouts from the route's <c>retry.linkerd.io/*</c> and <c>timeout.linkerd.io/*</c> annotations.
/// </summary>
public sealed class GatewayRouter(IReadOnlyList<JsonObject> objects)
{
    public RouteDecision? Route(string parentKind, string parentName, string ns, HttpCall call)
    {
        var candidates = new List<(JsonObject Route, JsonObject Rule, int Index, JsonObject? Match)>();
        foreach (var route in Routes(parentKind, parentName, ns))
        {
            var i = 0;
            foreach (var rule in (route["spec"]?["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var matches = (rule["matches"] as JsonArray)?.OfType<JsonObject>().ToList();
                // a rule without matches matches every path (one PathPrefix / match)
                if (matches is null || matches.Count == 0) candidates.Add((route, rule, i, null));
                else candidates.AddRange(matches.Select(m => (route, rule, i, (JsonObject?)m)));
                i++;
            }
        }
        var ranked = candidates
            .OrderByDescending(c => Rank(c.Match))
            .ThenBy(c => $"{c.Route["metadata"]?["namespace"]}/{c.Route["metadata"]?["name"]}", StringComparer.Ordinal)
            .ToList();
        var notMatched = new List<string>();
        foreach (var c in ranked)
        {
            var name = $"HTTPRoute/{c.Route["metadata"]?["namespace"]}/{c.Route["metadata"]?["name"]} rule {c.Index}";
            if (c.Match is not null && Mismatch(c.Match, call) is { } why)
            {
                notMatched.Add($"{name}: {why}");
                continue;
            }
            var annotations = c.Route["metadata"]?["annotations"] as JsonObject;
            string? Annotation(string key) => annotations?[key]?.GetValue<string>();
            var refs = (c.Rule["backendRefs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var backends = refs.Select(b => new RouteBackend(b["name"]?.GetValue<string>() ?? "", null, Json.Int(b["port"]),
                Json.Int(b["weight"]) ?? 1)).ToList();
            var limit = Annotation("retry.linkerd.io/limit");
            return new RouteDecision($"HTTPRoute/{c.Route["metadata"]?["namespace"]}/{c.Route["metadata"]?["name"]}", $"rule {c.Index}", notMatched, backends,
                Annotation("timeout.linkerd.io/request"),
                int.TryParse(limit, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var attempts) ? attempts : 0,
                Annotation("retry.linkerd.io/http"), Annotation("retry.linkerd.io/timeout"), null);
        }
        return null;
    }

    /// <summary>The HTTPRoutes (Gateway API group) with a parentRef to the named parent, in object order.</summary>
    public IEnumerable<JsonObject> Routes(string parentKind, string parentName, string ns) =>
        routesByParent.Value.TryGetValue((parentKind, parentName, ns), out var routes) ? routes : [];

    /// <summary>
    /// The routes indexed by parent once: the analysis asks for the route of every call in a cluster, and a scan of
    /// every object per question made that quadratic in services.
    /// </summary>
    private readonly Lazy<Dictionary<(string Kind, string? Name, string? Namespace), List<JsonObject>>> routesByParent = new(() => IndexByParent(objects));

    private static Dictionary<(string Kind, string? Name, string? Namespace), List<JsonObject>> IndexByParent(IReadOnlyList<JsonObject> objects)
    {
        var byParent = new Dictionary<(string, string?, string?), List<JsonObject>>();
        foreach (var o in objects.Where(o => o["kind"]?.GetValue<string>() == "HTTPRoute"
            && o["apiVersion"]?.GetValue<string>()?.StartsWith("gateway.networking.k8s.io/", StringComparison.Ordinal) == true))
        {
            foreach (var p in o["spec"]?["parentRefs"] as JsonArray ?? [])
            {
                var key = (p?["kind"]?.GetValue<string>() ?? "Gateway", p?["name"]?.GetValue<string>(),
                    p?["namespace"]?.GetValue<string>() ?? o["metadata"]?["namespace"]?.GetValue<string>());
                if (!byParent.TryGetValue(key, out var list)) byParent[key] = list = [];
                // a route naming the same parent twice is still one route
                if (list.Count == 0 || !ReferenceEquals(list[^1], o)) list.Add(o);
            }
        }
        return byParent;
    }

    /// <summary>Gateway API precedence: exact path, then the longest path, then a method, then more header matches.</summary>
    public static (int, int, int, int) Rank(JsonObject? m)
    {
        if (m is null) return (0, 1, 0, 0);
        var type = m["path"]?["type"]?.GetValue<string>() ?? "PathPrefix";
        var value = m["path"]?["value"]?.GetValue<string>() ?? "/";
        return (type == "Exact" ? 1 : 0, value.Length, m["method"] is null ? 0 : 1, (m["headers"] as JsonArray)?.Count ?? 0);
    }

    /// <summary>Null when the match applies; otherwise what differs.</summary>
    public static string? Mismatch(JsonObject m, HttpCall call)
    {
        var type = m["path"]?["type"]?.GetValue<string>() ?? "PathPrefix";
        var value = m["path"]?["value"]?.GetValue<string>() ?? "/";
        var pathOk = type switch
        {
            "Exact" => call.Path == value,
            // prefixes match whole path elements, ignoring a trailing slash
            "PathPrefix" => value.TrimEnd('/') is var p && (p.Length == 0 || call.Path == p || call.Path.StartsWith(p + "/", StringComparison.Ordinal)),
            _ => Regex.IsMatch(call.Path, $"^(?:{value})$"),
        };
        if (!pathOk) return $"path does not match {type} {value}";
        if (m["method"]?.GetValue<string>() is { } method && method != call.Method) return $"method {method}, not {call.Method}";
        foreach (var h in (m["headers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = h["name"]?.GetValue<string>() ?? "";
            var expected = h["value"]?.GetValue<string>() ?? "";
            var actual = call.Header(name);
            var ok = (h["type"]?.GetValue<string>() ?? "Exact") == "Exact" ? actual == expected : actual is not null && Regex.IsMatch(actual, $"^(?:{expected})$");
            if (!ok) return $"header {name} is not {expected}";
        }
        return null;
    }
}
