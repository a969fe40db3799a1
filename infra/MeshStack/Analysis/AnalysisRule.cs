using MeshStack.Security.Policy;

namespace MeshStack.Analysis;

/// <summary>
/// One rule of <c>check</c>: a stable id (MS1xx reachability, MS2xx authorization, MS3xx traffic, MS4xx telemetry,
/// MS5xx availability, MS6xx multi-cluster, MS7xx delivery, or a policy-pack id), its level, and a check over a render.
/// </summary>
public abstract class AnalysisRule
{
    public abstract string Id { get; }
    public abstract FindingLevel Level { get; }

    /// <summary>One line: what the rule finds.</summary>
    public abstract string Summary { get; }

    /// <summary>True when the rule needs the stack config (intent), which a render directory alone does not carry.</summary>
    public virtual bool ReadsConfig => false;

    public abstract IEnumerable<Finding> Check(RenderModel model);

    protected Finding At(RenderedObject o, string message, string fix) => new(Level, Id, o.Ref, message, fix);

    protected Finding At(ObjectRef where, string message, string fix) => new(Level, Id, where, message, fix);
}
