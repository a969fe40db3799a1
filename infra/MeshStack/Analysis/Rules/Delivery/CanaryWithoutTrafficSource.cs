namespace MeshStack.Analysis.Rules.Delivery;

/// <summary>
/// Flagger judges a canary by its request metrics; without a load-test webhook, a quiet period has no requests and the
/// analysis either stalls or promotes on no evidence.
/// </summary>
public sealed class CanaryWithoutTrafficSource : AnalysisRule
{
    public override string Id => "MS702";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a Flagger Canary has no load-test webhook to generate traffic for its analysis";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var c in model.OfKind("flagger.app", "Canary"))
        {
            var hooks = Json.Objects(c.Spec?["analysis"]?["webhooks"]).ToList();
            if (!hooks.Any(h => (Json.Str(h["type"]) ?? "rollout") == "rollout" && h["metadata"]?["cmd"] is not null))
                yield return At(c, "no rollout webhook drives load: the metrics may have no requests to judge", "add a rollout webhook to the Flagger load tester (metadata.cmd: hey ...)");
        }
    }
}
