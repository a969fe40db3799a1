using MeshStack.Analysis;

namespace MeshStack.Security.Policy;

/// <summary>
/// One broken rule: which rule, on which rendered object (or config key), what is wrong and how to fix it.
/// <paramref name="Subject"/> locates it as cluster/Kind/namespace/name for the analysis report.
/// </summary>
public sealed record PolicyFinding(string RuleId, string Resource, string Message, string Fix, ObjectRef? Subject = null)
{
    public override string ToString() => $"[{RuleId}] {Resource}: {Message}; fix: {Fix}";
}
