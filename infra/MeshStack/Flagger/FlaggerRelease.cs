using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Synthesis;

namespace MeshStack.Flagger;

/// <summary>
/// Flagger, one per cluster, from its pinned chart with its CRDs; what is mesh-specific (provider, metrics server,
/// extra values and dependencies) comes from the mesh's delivery slot (<see cref="IMeshDelivery"/>).
/// Flagger's pods are meshed where the mesh injects by annotation (the chart annotates them).
/// </summary>
public static class FlaggerRelease
{
    public const string Namespace = "flagger-system";
    public const string ReleaseName = "flagger";
    public const string Chart = "flagger";
    /// <summary>The suffix of the <see cref="Namespace"/> resource in each cluster.</summary>
    public const string NamespaceResource = "ns-flagger-system";

    public static Resource Install(ClusterBuild build)
    {
        var scope = build.Scope;
        var delivery = build.Mesh.Delivery;
        var ns = scope.Namespace(NamespaceResource, Namespace, new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "flagger" });
        return scope.HelmRelease("flagger", Args(scope.Config, scope.Cluster.Name, delivery),
            [ns, build.Install.Crds, build.Install.ControlPlane, .. delivery.ReleaseDependsOn(build)]);
    }

    public static HelmReleaseArgs Args(StackConfig config, string cluster, IMeshDelivery delivery)
    {
        var values = new JsonObject
        {
            ["meshProvider"] = delivery.FlaggerMeshProvider,
            ["metricsServer"] = delivery.MetricsServer,
            // Canary, MetricTemplate and AlertProvider come with the release from the chart's crds/ directory, which
            // Helm 3 installs before the templates (the Canary depends on the release). crd.create would render the same
            // CRDs as templates too, and Helm 3 fails on them ("exists and cannot be imported", fluxcd/flagger#1199;
            // the chart's README, values.yaml 133-135 at v1.41.0: "Helm v2 only"), so it stays false
            ["crd"] = new JsonObject { ["create"] = false },
            ["clusterName"] = cluster,
        };
        delivery.AddReleaseValues(values);
        if (config.Replicas > 1)
        {
            values["leaderElection"] = new JsonObject { ["enabled"] = true, ["replicaCount"] = 2 };
            values["podDisruptionBudget"] = new JsonObject { ["enabled"] = true };
        }
        return config.Charts.Flagger.Release(ReleaseName, Chart, Namespace, values);
    }
}
