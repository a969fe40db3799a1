using MeshStack.Graph;

namespace MeshStack.Synthesis;

/// <summary>
/// A part of the stack beyond the mesh install and the workloads (traffic, security, tracing, ...).
/// Per cluster, <see cref="Configure"/> runs before anything is built, so a component can adjust the
/// mesh's chart values and every workload; <see cref="Build"/> runs after, to add its own resources.
/// </summary>
public interface IStackComponent
{
    void Configure(ClusterPlan plan) { }

    void Build(ClusterBuild build) { }

    /// <summary>Once, after every cluster is built: stack-wide outputs and checks.</summary>
    void Complete(ResourceGraph graph) { }
}
