using MeshStack.Synthesis;

namespace MeshStack.Traffic;

/// <summary>One mesh's rendering of the mesh-neutral <see cref="TrafficIntent"/> into its own current APIs.</summary>
public interface ITrafficRenderer
{
    /// <summary>Before the cluster is built: adjustments to workloads (e.g. Service annotations).</summary>
    void Configure(ClusterPlan plan, TrafficIntent intent) { }

    /// <summary>After the mesh and workloads exist: the mesh's routing resources.</summary>
    void Build(ClusterBuild build, TrafficIntent intent);
}
