using System.Text.Json.Nodes;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Synthesis;

namespace MeshStack.Observability;

/// <summary>What the mesh-independent part built in a cluster: mesh-specific pieces depend on it.</summary>
/// <param name="Namespace">The observability namespace.</param>
/// <param name="Collector">The OpenTelemetry Collector release.</param>
/// <param name="Jaeger">The Jaeger release.</param>
public sealed record ObservabilityStack(Resource Namespace, Resource Collector, Resource Jaeger);

/// <summary>
/// The mesh-specific half of tracing and metrics: how the mesh's proxies export spans to the collector,
/// which Prometheus scrapes them and holds the recording rules, and which console shows the mesh.
/// </summary>
public interface IMeshObservability
{
    /// <summary>True when the collector must run inside the mesh (Linkerd proxies only export to a meshed identity).</summary>
    bool MeshesCollector { get; }

    /// <summary>Before the cluster is built: point the control plane's tracing at the collector.</summary>
    void Configure(ClusterPlan plan);

    /// <summary>After the mesh, the workloads and the collector/Jaeger exist.</summary>
    void Build(ClusterBuild build, ObservabilityStack stack);

    /// <summary>How to reach the cluster's dashboards: name to {portForward, url}.</summary>
    JsonObject Access(ClusterScope scope);
}
