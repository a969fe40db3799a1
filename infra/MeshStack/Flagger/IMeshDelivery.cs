using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Graph;
using MeshStack.Synthesis;
using MeshStack.Traffic;

namespace MeshStack.Flagger;

/// <summary>
/// The mesh-specific parts of progressive delivery: which Flagger provider routes the canary, where its metrics come
/// from and how they are queried, what the Canary's service section says, and whether a load tester must drive it.
/// </summary>
public interface IMeshDelivery
{
    /// <summary>Flagger's <c>meshProvider</c> chart value.</summary>
    string FlaggerMeshProvider { get; }

    /// <summary>The Canary's <c>spec.provider</c>.</summary>
    CanarySpecProvider CanaryProvider { get; }

    /// <summary>The Prometheus Flagger's metric checks query: the one the mesh's observability installs.</summary>
    string MetricsServer { get; }

    /// <summary>Whether the analysis needs Flagger's load tester (it counts only traffic the mesh authenticated).</summary>
    bool NeedsLoadTester { get; }

    /// <summary>Chart values this mesh adds to Flagger's release.</summary>
    void AddReleaseValues(JsonObject values) { }

    /// <summary>
    /// Chart values that mesh the load tester's own pod (flagger-system is not a meshed namespace), so the requests it
    /// sends carry the identity the app's policy authorizes.
    /// </summary>
    void AddLoadTesterValues(JsonObject values) { }

    /// <summary>What Flagger's release must wait for in the cluster besides its namespace and the mesh.</summary>
    IEnumerable<Resource> ReleaseDependsOn(ClusterBuild build) => [];

    /// <summary>The Canary's service section: the Service Flagger makes and the mesh routing it writes.</summary>
    CanarySpecService CanaryService(ServiceTraffic s, TrafficIntent intent, V1Service model, string ns, StackConfig config);

    /// <summary>The analysis' metric checks, each with its interval.</summary>
    List<CanarySpecAnalysisMetrics> AnalysisMetrics(string interval, string ns);

    /// <summary>The MetricTemplates those checks read, in the app namespace.</summary>
    IEnumerable<object> MetricTemplates(string ns) => [];
}
