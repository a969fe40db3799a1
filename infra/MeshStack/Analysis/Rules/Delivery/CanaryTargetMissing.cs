namespace MeshStack.Analysis.Rules.Delivery;

/// <summary>A Flagger Canary whose targetRef (or autoscalerRef) is not rendered never starts: Flagger waits for the target forever.</summary>
public sealed class CanaryTargetMissing : AnalysisRule
{
    public override string Id => "MS701";
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => "a Flagger Canary's targetRef names no rendered workload";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var c in model.OfKind("flagger.app", "Canary"))
        {
            var kind = Json.Str(c.Spec?["targetRef"]?["kind"]) ?? "Deployment";
            var name = Json.Str(c.Spec?["targetRef"]?["name"]) ?? "";
            if (!model.Objects.Any(o => o.Cluster == c.Cluster && o.Namespace == c.Namespace && o.Kind == kind && o.Name == name))
                yield return At(c, $"targetRef {kind} {name} is not rendered in {c.Namespace}: the canary never starts", "target the service's Deployment");
        }
    }
}
