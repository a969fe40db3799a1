namespace MeshStack.Security.Policy;

/// <summary>One broken rule: which rule, on which rendered object (or config key), what is wrong and how to fix it.</summary>
public sealed record PolicyFinding(string RuleId, string Resource, string Message, string Fix)
{
    public override string ToString() => $"[{RuleId}] {Resource}: {Message}; fix: {Fix}";
}
