using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Analysis.Simulation;

/// <summary>
/// Routes a request through rendered VirtualServices as Istio does: the VirtualService for the host (and gateway),
/// then its <c>http</c> rules in order, the first whose match applies (no match list matches everything).
/// </summary>
public sealed class IstioRouter(IReadOnlyList<JsonObject> objects)
{
    public const int DefaultAttempts = 2;
    public const string DefaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    /// <param name="host">The destination host (FQDN or short name).</param>
    /// <param name="gateway"><c>mesh</c> for sidecars, or the Gateway (<c>ns/name</c>) for an edge route.</param>
    public RouteDecision? Route(string host, HttpCall call, string gateway = "mesh")
    {
        var vs = VirtualServiceFor(host, gateway);
        if (vs is null) return null;
        var notMatched = new List<string>();
        var i = 0;
        foreach (var rule in (vs["spec"]?["http"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = rule["name"]?.GetValue<string>() ?? $"http[{i}]";
            i++;
            var matches = rule["match"] as JsonArray;
            var reasons = matches is null ? [] : matches.OfType<JsonObject>().Select(m => Mismatch(m, call)).ToList();
            if (matches is not null && reasons.All(r => r is not null))
            {
                notMatched.Add($"{name}: {string.Join("; ", reasons)}");
                continue;
            }
            var routes = (rule["route"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var backends = routes.Select(r => new RouteBackend(
                r["destination"]?["host"]?.GetValue<string>() ?? "",
                r["destination"]?["subset"]?.GetValue<string>(),
                Json.Int(r["destination"]?["port"]?["number"]),
                Json.Int(r["weight"]) ?? (routes.Count == 1 ? 100 : 0))).ToList();
            var retries = rule["retries"];
            var fault = rule["fault"] is JsonObject f
                ? string.Join(", ", new[]
                {
                    f["abort"] is { } a ? $"abort {a["httpStatus"]} for {a["percentage"]?["value"]}%" : null,
                    f["delay"] is { } d ? $"delay {d["fixedDelay"]} for {d["percentage"]?["value"]}%" : null,
                }.OfType<string>())
                : null;
            return new RouteDecision($"VirtualService/{vs["metadata"]?["namespace"]}/{vs["metadata"]?["name"]}", name, notMatched, backends,
                rule["timeout"]?.GetValue<string>(),
                // no retries block means Istio's default policy: 2 retries on connect-failure,refused-stream,unavailable,
                // cancelled,retriable-status-codes (istio pilot/pkg/networking/core/route/retry/retry.go 36-37, 98-108, release-1.31)
                retries is null ? DefaultAttempts : Json.Int(retries["attempts"]) ?? 0,
                retries is null ? DefaultRetryOn : retries["retryOn"]?.GetValue<string>(), retries?["perTryTimeout"]?.GetValue<string>(), fault);
        }
        return null;
    }

    /// <summary>
    /// The VirtualServices in object order, indexed by each declared host and its first label: the analysis asks for
    /// the route of every call in a cluster, and a scan of every object per question made that quadratic in services.
    /// </summary>
    private readonly Lazy<(List<JsonObject> All, Dictionary<string, List<int>> ByHostKey)> virtualServices = new(() => Index(objects));

    private static (List<JsonObject>, Dictionary<string, List<int>>) Index(IReadOnlyList<JsonObject> objects)
    {
        var all = objects.Where(o => o["kind"]?.GetValue<string>() == "VirtualService").ToList();
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            foreach (var declared in (all[i]["spec"]?["hosts"] as JsonArray ?? []).Select(h => h?.GetValue<string>() ?? ""))
            {
                foreach (var key in new[] { declared, FirstLabel(declared) })
                {
                    if (!byKey.TryGetValue(key, out var list)) byKey[key] = list = [];
                    if (list.Count == 0 || list[^1] != i) list.Add(i);
                }
            }
        }
        return (all, byKey);
    }

    /// <summary>
    /// The first VirtualService (in object order) for the host and gateway. Every host <see cref="HostMatches"/> accepts
    /// is found under the host itself (equal, or its first label equals the host) or under the host's first label (a
    /// short declared name); the candidates are then checked as before.
    /// </summary>
    private JsonObject? VirtualServiceFor(string host, string gateway)
    {
        var (all, byKey) = virtualServices.Value;
        var candidates = new SortedSet<int>();
        foreach (var key in new[] { host, FirstLabel(host) })
            if (byKey.TryGetValue(key, out var list)) candidates.UnionWith(list);
        return candidates.Select(i => all[i]).FirstOrDefault(o =>
            (o["spec"]?["hosts"] as JsonArray ?? []).Any(h => HostMatches(h?.GetValue<string>() ?? "", host))
            && Gateways(o).Contains(gateway));
    }

    private static string FirstLabel(string host) => host.IndexOf('.') is var dot and >= 0 ? host[..dot] : host;

    private static List<string> Gateways(JsonObject vs) =>
        vs["spec"]?["gateways"] is JsonArray g ? g.Select(x => x?.GetValue<string>() ?? "").ToList() : ["mesh"];

    private static bool HostMatches(string declared, string host) =>
        declared == host || declared.Split('.')[0] == host || host.Split('.')[0] == declared && !declared.Contains('.');

    /// <summary>Null when the match applies; otherwise what differs.</summary>
    public static string? Mismatch(JsonObject m, HttpCall call)
    {
        if (m["method"]?["exact"]?.GetValue<string>() is { } method && method != call.Method) return $"method {method}, not {call.Method}";
        if (m["uri"] is JsonObject uri)
        {
            if (uri["exact"]?.GetValue<string>() is { } e && call.Path != e) return $"path is not {e}";
            if (uri["prefix"]?.GetValue<string>() is { } p && !call.Path.StartsWith(p, StringComparison.Ordinal)) return $"path does not start with {p}";
            if (uri["regex"]?.GetValue<string>() is { } r && !Regex.IsMatch(call.Path, $"^(?:{r})$")) return $"path does not match {r}";
        }
        foreach (var (name, cond) in m["headers"] as JsonObject ?? [])
        {
            var value = call.Header(name);
            if (cond?["exact"]?.GetValue<string>() is { } ev && value != ev) return $"header {name} is not {ev}";
            if (cond?["prefix"]?.GetValue<string>() is { } pv && (value is null || !value.StartsWith(pv, StringComparison.Ordinal))) return $"header {name} does not start with {pv}";
            if (cond?["regex"]?.GetValue<string>() is { } rv && (value is null || !Regex.IsMatch(value, $"^(?:{rv})$"))) return $"header {name} does not match {rv}";
        }
        return null;
    }
}
