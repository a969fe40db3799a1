using System.Globalization;
using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Synthesis;
using MeshStack.Tracing;

namespace MeshStack.Flagger;

/// <summary>
/// Flagger, one per cluster, from its pinned chart with its CRDs. Istio: <c>meshProvider: istio</c>, reading the
/// Prometheus of kube-prometheus-stack, which scrapes every sidecar. Linkerd: <c>meshProvider: gatewayapi:v1</c>
/// (Flagger's <c>linkerd</c> provider means SMI TrafficSplit, which needs the deprecated linkerd-smi), reading
/// linkerd-viz's Prometheus; Flagger's pods are meshed (the chart annotates them for injection) and the chart's
/// AuthorizationPolicy lets Flagger's identity query that Prometheus, which viz guards with a Server.
/// </summary>
public static class FlaggerRelease
{
    public const string Namespace = "flagger-system";
    public const string ReleaseName = "flagger";
    public const string Chart = "flagger";
    /// <summary>The suffix of the <see cref="Namespace"/> resource in each cluster.</summary>
    public const string NamespaceResource = "ns-flagger-system";

    public static string MeshProvider(MeshKind mesh) => mesh == MeshKind.Istio ? "istio" : "gatewayapi:v1";

    /// <summary>The Prometheus Flagger's metric checks query: the one the observability component installs.</summary>
    public static string MetricsServer(MeshKind mesh) => mesh == MeshKind.Istio
        ? string.Create(CultureInfo.InvariantCulture, $"http://{IstioObservability.PrometheusService}.{CollectorEndpoint.Namespace}:{IstioObservability.PrometheusPort}")
        : string.Create(CultureInfo.InvariantCulture, $"http://{LinkerdObservability.PrometheusService}.{LinkerdObservability.VizNamespace}:{LinkerdObservability.PrometheusPort}");

    public static Resource Install(ClusterBuild build)
    {
        var scope = build.Scope;
        var mesh = build.Mesh.Kind;
        var ns = scope.Namespace(NamespaceResource, Namespace, new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "flagger" });
        var dependsOn = new List<Resource?> { ns, build.Install.Crds, build.Install.ControlPlane };
        // the chart's AuthorizationPolicy goes into linkerd-viz and targets viz's prometheus-admin Server
        if (mesh == MeshKind.Linkerd) dependsOn.Add(Viz(build));
        return scope.HelmRelease("flagger", Args(scope.Config, scope.Cluster.Name, mesh), dependsOn);
    }

    private static Resource Viz(ClusterBuild build)
    {
        var name = build.Scope.Name(LinkerdObservability.VizRelease);
        return build.Scope.Graph.Contains(name)
            ? build.Scope.Graph[name]
            : throw new InvalidOperationException($"Flagger with Linkerd reads linkerd-viz's Prometheus, but cluster '{build.Scope.Cluster.Name}' has no {name} release");
    }

    public static HelmReleaseArgs Args(StackConfig config, string cluster, MeshKind mesh)
    {
        var values = new JsonObject
        {
            ["meshProvider"] = MeshProvider(mesh),
            ["metricsServer"] = MetricsServer(mesh),
            // Canary, MetricTemplate and AlertProvider come with the release from the chart's crds/ directory, which
            // Helm 3 installs before the templates (the Canary depends on the release). crd.create would render the same
            // CRDs as templates too, and Helm 3 fails on them ("exists and cannot be imported", fluxcd/flagger#1199;
            // the chart's README, values.yaml 133-135 at v1.41.0: "Helm v2 only"), so it stays false
            ["crd"] = new JsonObject { ["create"] = false },
            ["clusterName"] = cluster,
        };
        if (mesh == MeshKind.Linkerd)
            values["linkerdAuthPolicy"] = new JsonObject { ["create"] = true, ["namespace"] = LinkerdObservability.VizNamespace };
        if (config.Replicas > 1)
        {
            values["leaderElection"] = new JsonObject { ["enabled"] = true, ["replicaCount"] = 2 };
            values["podDisruptionBudget"] = new JsonObject { ["enabled"] = true };
        }
        return config.Charts.Flagger.Release(ReleaseName, Chart, Namespace, values);
    }
}
