namespace MeshStack.Security.Policy;

/// <summary>One rule of the policy pack: a stable id (what stacks name to lower it to a warning) and a check.</summary>
public abstract class PolicyRule
{
    public abstract string Id { get; }

    /// <summary>One line: what the rule guarantees.</summary>
    public abstract string Summary { get; }

    public abstract IEnumerable<PolicyFinding> Check(PolicyContext context);

    protected PolicyFinding Finding(object resource, string message, string fix) => new(Id, resource.ToString() ?? "", message, fix);
}
