using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Simulation;

/// <summary>
/// Evaluates rendered Istio AuthorizationPolicies for one workload, with Istio's semantics: a matching DENY
/// denies; with no ALLOW policy everything else is allowed; otherwise some ALLOW rule must match. Fields this
/// evaluator does not understand throw, so a policy can never be "allowed" by being misread.
/// </summary>
public sealed class IstioAuthorizer(IReadOnlyList<JsonObject> objects, string rootNamespace = "istio-system")
{
    public bool Allows(string ns, IReadOnlyDictionary<string, string> podLabels, InboundRequest request) =>
        Decide(ns, podLabels, request).Allowed;

    public AuthorizationVerdict Decide(string ns, IReadOnlyDictionary<string, string> podLabels, InboundRequest request)
    {
        var policies = objects.Where(o => o["kind"]!.GetValue<string>() == "AuthorizationPolicy"
                && o["apiVersion"]!.GetValue<string>().StartsWith("security.istio.io/", StringComparison.Ordinal))
            .Where(o => Ns(o) == ns || Ns(o) == rootNamespace)
            .Where(o => Selects(o["spec"]?["selector"]?["matchLabels"] as JsonObject, podLabels))
            .ToList();
        string Action(JsonObject p) => p["spec"]?["action"]?.GetValue<string>() ?? "ALLOW";
        if (policies.Any(p => Action(p) is not ("ALLOW" or "DENY"))) throw new NotSupportedException("only ALLOW and DENY policies are evaluated");
        var denying = policies.Where(p => Action(p) == "DENY").Where(p => Rules(p).Any(r => RuleMatches(r, request))).Select(Id).ToList();
        if (denying.Count > 0) return new AuthorizationVerdict(false, "a DENY policy matches", denying);
        var allow = policies.Where(p => Action(p) == "ALLOW").ToList();
        if (allow.Count == 0) return new AuthorizationVerdict(true, "no ALLOW policy selects the workload", []);
        var allowing = allow.Where(p => Rules(p).Any(r => RuleMatches(r, request))).Select(Id).ToList();
        return allowing.Count > 0
            ? new AuthorizationVerdict(true, "an ALLOW policy matches", allowing)
            : new AuthorizationVerdict(false, "ALLOW policies select the workload and none matches", allow.Select(Id).ToList());
    }

    private static string Id(JsonObject o) => $"AuthorizationPolicy/{Ns(o)}/{o["metadata"]?["name"]?.GetValue<string>()}";

    private static string? Ns(JsonObject o) => o["metadata"]?["namespace"]?.GetValue<string>();

    private static IEnumerable<JsonObject> Rules(JsonObject policy) => (policy["spec"]?["rules"] as JsonArray ?? []).Cast<JsonObject>();

    private static bool Selects(JsonObject? matchLabels, IReadOnlyDictionary<string, string> labels) =>
        matchLabels is null || matchLabels.All(m => labels.TryGetValue(m.Key, out var v) && v == m.Value!.GetValue<string>());

    private static bool RuleMatches(JsonObject rule, InboundRequest r)
    {
        foreach (var (k, _) in rule) if (k is not ("from" or "to" or "when")) throw new NotSupportedException($"rule field {k}");
        var from = rule["from"] as JsonArray;
        var to = rule["to"] as JsonArray;
        var when = rule["when"] as JsonArray;
        return (from is null || from.Any(f => SourceMatches((JsonObject)f!["source"]!, r)))
            && (to is null || to.Any(t => OperationMatches((JsonObject)t!["operation"]!, r)))
            && (when is null || when.All(c => ConditionHolds((JsonObject)c!, r)));
    }

    private static bool SourceMatches(JsonObject s, InboundRequest r)
    {
        var ok = true;
        foreach (var (k, v) in s)
        {
            var values = Strings(v);
            ok &= k switch
            {
                "principals" => r.Principal is not null && values.Any(p => Glob(p, r.Principal)),
                "notPrincipals" => r.Principal is null || !values.Any(p => Glob(p, r.Principal)),
                "requestPrincipals" => r.RequestPrincipal is not null && values.Any(p => Glob(p, r.RequestPrincipal)),
                "notRequestPrincipals" => r.RequestPrincipal is null || !values.Any(p => Glob(p, r.RequestPrincipal)),
                _ => throw new NotSupportedException($"source field {k}"),
            };
        }
        return ok;
    }

    private static bool OperationMatches(JsonObject o, InboundRequest r)
    {
        var ok = true;
        foreach (var (k, v) in o)
        {
            var values = Strings(v);
            ok &= k switch
            {
                "methods" => values.Contains(r.Method),
                "notMethods" => !values.Contains(r.Method),
                "paths" => values.Any(p => PathMatches(p, r.Path)),
                "notPaths" => !values.Any(p => PathMatches(p, r.Path)),
                "ports" => r.Port is { } port && values.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => throw new NotSupportedException($"operation field {k}"),
            };
        }
        return ok;
    }

    private static bool ConditionHolds(JsonObject c, InboundRequest r)
    {
        var key = c["key"]!.GetValue<string>();
        if (!key.StartsWith("request.auth.claims[", StringComparison.Ordinal)) throw new NotSupportedException($"condition key {key}");
        var claim = key["request.auth.claims[".Length..^1];
        string? value = r.Claims is not null && r.Claims.TryGetValue(claim, out var v) ? v : null;
        // a missing claim matches no value, so it satisfies notValues
        var values = Strings(c["values"]);
        var notValues = Strings(c["notValues"]);
        return (c["values"] is null || (value is not null && values.Contains(value)))
            && (c["notValues"] is null || value is null || !notValues.Contains(value));
    }

    /// <summary>Istio string match: exact, "*" (any present value), "prefix*", "*suffix".</summary>
    private static bool Glob(string pattern, string value) =>
        pattern == "*" ? value.Length > 0
        : pattern.EndsWith('*') ? value.StartsWith(pattern[..^1], StringComparison.Ordinal)
        : pattern.StartsWith('*') ? value.EndsWith(pattern[1..], StringComparison.Ordinal)
        : pattern == value;

    /// <summary>Paths add the {*} (one segment) and {**} (any segments) templates.</summary>
    private static bool PathMatches(string pattern, string path)
    {
        if (!pattern.Contains('{')) return Glob(pattern, path);
        var regex = "^" + string.Join("/", pattern.Split('/').Select(s => s switch
        {
            "{*}" => "[^/]+",
            "{**}" => ".*",
            _ => System.Text.RegularExpressions.Regex.Escape(s),
        })) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(path, regex);
    }

    private static List<string> Strings(JsonNode? n) => (n as JsonArray ?? []).Select(x => x!.GetValue<string>()).ToList();
}
