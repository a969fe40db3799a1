using System.Text.Json.Nodes;
using MeshStack.Topology;

namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// Retrying a POST or PATCH on 5xx, gateway errors or resets can apply it twice (a second order, a second charge): only
/// routes the topology declares idempotent may be retried on those conditions. Connect failures are safe (the request
/// never left). Istio: the rule's <c>retries</c>; Linkerd: the route's <c>retry.linkerd.io/http</c> annotation.
/// </summary>
public sealed class RetriedNonIdempotent : AnalysisRule
{
    private static readonly string[] Unsafe = ["5xx", "gateway-error", "reset", "retriable-4xx", "retriable-status-codes"];
    private static readonly string[] Writes = ["POST", "PATCH"];

    public override string Id => "MS305";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "POST/PATCH is retried on 5xx/reset unless the route is declared idempotent";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var rule in IstioHttpRule.In(model))
        {
            var retries = rule.Rule["retries"];
            if (retries is null || (Json.Int(retries["attempts"]) ?? 0) <= 0) continue;
            var on = (Json.Str(retries["retryOn"]) ?? "").Split(',', StringSplitOptions.TrimEntries);
            if (!on.Any(Unsafe.Contains)) continue;
            foreach (var method in Methods(rule.Methods))
            {
                var paths = Json.Objects(rule.Rule["match"]).Select(m => Json.Str(m["uri"]?["exact"]) ?? Json.Str(m["uri"]?["prefix"]) ?? Json.Str(m["uri"]?["regex"])).ToList();
                if (DeclaredIdempotent(model, method, paths)) continue;
                yield return At(rule.VirtualService, $"rule {rule.Name} retries {method} on {string.Join(",", on.Where(Unsafe.Contains))}: a non-idempotent write may be applied twice",
                    "set retries.attempts: 0 on writes, or declare the route idempotent in the topology");
                break;
            }
        }
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute"))
        {
            var annotations = route.Object["metadata"]?["annotations"];
            if ((Json.Int(annotations?["retry.linkerd.io/limit"]) ?? 0) <= 0 && Json.Str(annotations?["retry.linkerd.io/http"]) is null) continue;
            var on = (Json.Str(annotations?["retry.linkerd.io/http"]) ?? "").Split(',', StringSplitOptions.TrimEntries);
            if (!on.Any(c => Unsafe.Contains(c) || c.Length == 3 && c[0] == '5')) continue;
            foreach (var m in Json.Objects(route.Spec?["rules"]).SelectMany(r => Json.Objects(r["matches"])))
            {
                var methods = Json.Str(m["method"]) is { } one ? [one] : Writes;
                var path = Json.Str(m["path"]?["value"]);
                var bad = methods.Where(Writes.Contains).FirstOrDefault(x => !DeclaredIdempotent(model, x, [path]));
                if (bad is null) continue;
                yield return At(route, $"retries {bad} {path} on {string.Join(",", on)}: a non-idempotent write may be applied twice",
                    "retry only reads: drop retry.linkerd.io/* from routes that match writes");
                break;
            }
        }
    }

    private static IEnumerable<string> Methods(IReadOnlySet<string>? methods) => methods is null ? Writes : methods.Where(Writes.Contains);

    /// <summary>True when every path of the rule is a topology route for that method that is declared idempotent.</summary>
    private static bool DeclaredIdempotent(RenderModel model, string method, IReadOnlyList<string?> paths) =>
        paths.Count > 0 && paths.All(p => p is not null && model.Topology.Services.SelectMany(s => s.Routes)
            .Any(r => r.Method == method && r.Idempotent && r.Path.Value == p));
}
