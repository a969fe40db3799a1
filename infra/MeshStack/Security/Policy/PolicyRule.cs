using MeshStack.Analysis;

namespace MeshStack.Security.Policy;

/// <summary>One rule of the policy pack: a stable id (what stacks name to lower it to a warning) and a check.</summary>
public abstract class PolicyRule
{
    public abstract string Id { get; }

    /// <summary>One line: what the rule guarantees.</summary>
    public abstract string Summary { get; }

    /// <summary>True when the rule reads the stack config or intent, so it cannot judge a render directory alone.</summary>
    public virtual bool ReadsConfig => false;

    public abstract IEnumerable<PolicyFinding> Check(PolicyContext context);

    protected PolicyFinding Finding(RenderedObject resource, string message, string fix) => new(Id, resource.ToString(), message, fix, resource.Ref);

    /// <summary>A finding about something that is missing: <paramref name="subject"/> is where it should be.</summary>
    protected PolicyFinding Finding(string resource, ObjectRef subject, string message, string fix) => new(Id, resource, message, fix, subject);
}
