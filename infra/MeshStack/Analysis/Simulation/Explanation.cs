using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshStack.Analysis.Simulation;

/// <summary>What the mesh does with one request, for one destination workload (a canary has two).</summary>
public sealed record WorkloadVerdict(string Workload, AuthorizationVerdict Verdict);

/// <summary>The answer of <c>explain</c>.</summary>
public sealed record Explanation(
    string Cluster,
    string From,
    string? CallerIdentity,
    string To,
    HttpCall Call,
    RouteDecision? Route,
    string RouteNote,
    string Mtls,
    IReadOnlyList<WorkloadVerdict> Authorization)
{
    public string ToText()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{Call.Method} {Call.Path} from {From} ({CallerIdentity ?? "no mesh identity"}) to {To} in cluster {Cluster}");
        foreach (var (k, v) in Call.Headers) sb.AppendLine($"  header {k}: {v}");
        if (Route is null) sb.AppendLine($"route: none ({RouteNote})");
        else
        {
            sb.AppendLine($"route: {Route.Object} {Route.Rule}");
            foreach (var n in Route.NotMatched) sb.AppendLine($"  not {n}");
            foreach (var b in Route.Backends) sb.AppendLine($"  -> {b}");
            sb.AppendLine($"  timeout: {Route.Timeout ?? "none"}");
            sb.AppendLine(Route.RetryAttempts > 0
                ? $"  retries: {Route.RetryAttempts} on {Route.RetryOn ?? "the mesh default"}{(Route.PerTryTimeout is null ? "" : $", {Route.PerTryTimeout} per try")}"
                : "  retries: none");
            sb.AppendLine($"  fault drill: {Route.Fault ?? "none"}");
        }
        sb.AppendLine($"mtls: {Mtls}");
        foreach (var w in Authorization)
        {
            sb.AppendLine($"authorization ({w.Workload}): {(w.Verdict.Allowed ? "ALLOW" : "DENY")}, {w.Verdict.Reason}");
            foreach (var d in w.Verdict.DecidedBy) sb.AppendLine($"  by {d}");
        }
        return sb.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, ExplanationJsonContext.Default.Explanation) + "\n";
}

