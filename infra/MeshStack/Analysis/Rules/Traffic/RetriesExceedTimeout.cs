using System.Text.RegularExpressions;

namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// Retries must fit in the route's timeout: with (attempts + 1) x per-try timeout above the overall timeout, the last
/// attempts are cut off and the configured retries are partly fiction. Istio: <c>retries.perTryTimeout</c> against
/// <c>timeout</c>; Linkerd: <c>retry.linkerd.io/timeout</c> against <c>timeout.linkerd.io/request</c>.
/// </summary>
public sealed partial class RetriesExceedTimeout : AnalysisRule
{
    public override string Id => "MS307";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "retry attempts x per-try timeout exceed the route timeout";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var rule in IstioHttpRule.In(model))
        {
            var attempts = Json.Int(rule.Rule["retries"]?["attempts"]) ?? 0;
            if (attempts <= 0 || Duration(Json.Str(rule.Rule["retries"]?["perTryTimeout"])) is not { } perTry || Duration(Json.Str(rule.Rule["timeout"])) is not { } total) continue;
            if (perTry * (attempts + 1) > total)
                yield return At(rule.VirtualService, $"rule {rule.Name}: {attempts + 1} tries x {perTry.TotalMilliseconds}ms per try exceed the {total.TotalMilliseconds}ms timeout",
                    "lower attempts or perTryTimeout, or raise the timeout");
        }
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute"))
        {
            var a = route.Object["metadata"]?["annotations"];
            var limit = Json.Int(a?["retry.linkerd.io/limit"]) ?? 0;
            if (limit <= 0 || Duration(Json.Str(a?["retry.linkerd.io/timeout"])) is not { } perTry || Duration(Json.Str(a?["timeout.linkerd.io/request"])) is not { } total) continue;
            if (perTry * (limit + 1) > total)
                yield return At(route, $"{limit + 1} tries x {perTry.TotalMilliseconds}ms per try exceed the {total.TotalMilliseconds}ms request timeout",
                    "lower retry.linkerd.io/limit or retry.linkerd.io/timeout, or raise timeout.linkerd.io/request");
        }
    }

    /// <summary>Go/protobuf durations as the meshes write them: 1.6s, 1600ms, 2m, 1h.</summary>
    public static TimeSpan? Duration(string? text)
    {
        if (text is null || DurationPattern().Match(text) is not { Success: true } m) return null;
        var value = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => null,
        };
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$")]
    private static partial Regex DurationPattern();
}
