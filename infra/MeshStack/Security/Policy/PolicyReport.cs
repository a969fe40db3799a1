namespace MeshStack.Security.Policy;

/// <summary>The findings of one run: errors fail synthesis, warnings are the rules the stack lowered.</summary>
public sealed record PolicyReport(IReadOnlyList<PolicyFinding> Errors, IReadOnlyList<PolicyFinding> Warnings)
{
    public void ThrowIfErrors()
    {
        if (Errors.Count > 0) throw new PolicyViolationException(Errors, null);
    }
}

/// <summary>Synthesis refused by the policy pack: exit code 2, like invalid configuration.</summary>
public sealed class PolicyViolationException(IReadOnlyList<PolicyFinding> findings, string? reason)
    : Exception($"the policy pack refused the stack ({findings.Count} violation{(findings.Count == 1 ? "" : "s")}){(reason is null ? "" : "; " + reason)}")
{
    public IReadOnlyList<PolicyFinding> Findings { get; } = findings;
}
