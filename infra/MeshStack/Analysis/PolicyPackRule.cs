using MeshStack.Security.Policy;

namespace MeshStack.Analysis;

/// <summary>A policy-pack rule run by the analysis framework: same id, error level (lowered by <c>mesh-stack:policy.warn</c>).</summary>
public sealed class PolicyPackRule(PolicyRule rule) : AnalysisRule
{
    public override string Id => rule.Id;
    public override FindingLevel Level => FindingLevel.Error;
    public override string Summary => rule.Summary;
    public override bool ReadsConfig => rule.ReadsConfig;

    public override IEnumerable<Finding> Check(RenderModel model) =>
        rule.Check(model.Policy).Select(f => new Finding(Level, Id,
            f.Subject ?? new ObjectRef("-", "Stack", null, model.Stack), f.Message, f.Fix));
}
