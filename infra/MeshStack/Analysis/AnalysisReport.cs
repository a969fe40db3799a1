namespace MeshStack.Analysis;

/// <summary>
/// The findings of one run, errors first. <paramref name="Lowered"/> are the warnings that are errors lowered by
/// <c>mesh-stack:policy.warn</c>; <paramref name="Skipped"/> names the rules that needed the stack config and had none.
/// </summary>
public sealed record AnalysisReport(IReadOnlyList<Finding> Findings, IReadOnlyList<Finding> Lowered, IReadOnlyList<string> Skipped)
{
    public IEnumerable<Finding> Errors => Findings.Where(f => f.Level == FindingLevel.Error);
    public IEnumerable<Finding> Warnings => Findings.Where(f => f.Level == FindingLevel.Warning);
    public bool HasErrors => Findings.Any(f => f.Level == FindingLevel.Error);
}
