using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Synthesis;
using MeshStack.Tracing;

namespace MeshStack.Observability;

/// <summary>
/// Tracing and metrics in every cluster: the observability namespace with the OpenTelemetry Collector and
/// Jaeger, then the mesh's own half (proxy tracing, Prometheus with the golden-signal rules, Kiali or
/// linkerd-viz). Workloads already export to <see cref="CollectorEndpoint"/>.
/// </summary>
public sealed class ObservabilityComponent(IMeshObservability mesh) : IStackComponent
{
    private readonly JsonObject _access = [];

    /// <summary>The component with the mesh's observability slot.</summary>
    public static ObservabilityComponent For(IServiceMesh mesh) => new(mesh.Observability);

    public void Configure(ClusterPlan plan) => mesh.Configure(plan);

    public void Build(ClusterBuild build)
    {
        var scope = build.Scope;
        var meta = new V1ObjectMeta
        {
            Name = CollectorEndpoint.Namespace,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "observability" },
        };
        Resource? injector = null;
        if (mesh.MeshesCollector)
        {
            build.Mesh.MarkForInjection(meta);
            // pods created before the injector answers would run without a proxy, and so without an identity
            injector = build.Install.ControlPlane;
        }
        var ns = scope.Add("ns-observability", new V1Namespace { Metadata = meta }, injector);
        var jaeger = scope.HelmRelease("jaeger", JaegerRelease.Args(scope.Config), [ns]);
        var collector = scope.HelmRelease("otel-collector", OtelCollectorRelease.Args(scope.Config), [ns, jaeger]);
        mesh.Build(build, new ObservabilityStack(ns, collector, jaeger));
        _access[scope.Cluster.Name] = mesh.Access(scope);
    }

    public void Complete(ResourceGraph graph) => graph.AddOutput("observability", _access);
}
