using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Flagger;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Observability;
using MeshStack.Security;
using MeshStack.Synthesis;
using MeshStack.Topology;
using MeshStack.Traffic;

namespace MeshStack.Istio;

/// <summary>
/// Istio installed from its Helm charts: base (CRDs), istiod with the mesh's shared trust (<see cref="IstioTrust"/>),
/// and an ingress gateway in its own namespace.
/// </summary>
public sealed class IstioMesh : IServiceMesh
{
    public const string SystemNamespace = "istio-system";
    public const string IngressNamespace = "istio-ingress";
    public const string IngressRelease = "istio-ingress";

    public MeshKind Kind => MeshKind.Istio;

    private IstioTrust? _trust;

    /// <summary>The mesh's shared trust in <paramref name="graph"/>: one root for every cluster of the synthesis.</summary>
    public IstioTrust Trust(ResourceGraph graph) => _trust is { } trust && trust.Graph == graph ? trust : _trust = new IstioTrust(graph);

    /// <summary>Istio reads <c>tcp</c> as TCP (istio 1.31 pkg/config/kube/conversion.go 48-93); Linkerd's value would be sniffed.</summary>
    public string OpaqueTcpAppProtocol => "tcp";

    public ITrafficRenderer Traffic { get; } = new IstioTrafficRenderer();
    public IMeshSecurity Security { get; } = new IstioSecurity();
    public IMeshObservability Observability { get; } = new IstioObservability();
    public IMeshDelivery Delivery { get; } = new IstioDelivery();
    public IReadOnlyList<IStackComponent> MultiCluster { get; } = [new IstioMultiCluster(), new IstioClusterLocalState()];
    public IReadOnlyList<IStackComponent> Platform { get; } = [new IstioSidecarScope()];

    public MeshInstallation Install(ClusterScope scope)
    {
        var config = scope.Config;
        var chart = config.Charts.Istio;
        var labels = new Dictionary<string, string>();
        // the network label must exist before istiod starts, or cross-network endpoints are misclassified
        if (scope.Cluster.Network is { } network) labels["topology.istio.io/network"] = network;
        var systemNs = scope.Namespace("ns-istio-system", SystemNamespace, labels);

        // Deleting the base release would delete every Istio CRD and with it every Istio resource.
        var crds = scope.HelmRelease("istio-base", chart.Release("istio-base", "base", SystemNamespace, new JsonObject
        {
            ["defaultRevision"] = "default",
        }), [systemNs], retainOnDelete: true);

        // istiod reads its CA only when it starts: the shared-trust intermediate must be there first
        var cacerts = Trust(scope.Graph).AddTo(scope, systemNs);
        var istiod = scope.HelmRelease("istiod", chart.Release("istiod", "istiod", SystemNamespace, IstiodValues(scope)) with { Timeout = 600 },
            [crds, cacerts]);

        // the gateway pod is built by the injector, so its namespace must allow injection
        var ingressNs = scope.Namespace("ns-istio-ingress", IngressNamespace, new Dictionary<string, string> { ["istio-injection"] = "enabled" },
            dependsOn: [istiod]);
        var ingressValues = new JsonObject { ["service"] = new JsonObject { ["type"] = "LoadBalancer" } };
        IstioGatewayAvailability.AddTo(ingressValues, config.Replicas);
        scope.HelmRelease("istio-ingress", chart.Release(IngressRelease, "gateway", IngressNamespace, ingressValues), [ingressNs, istiod]);

        return new MeshInstallation(crds, istiod);
    }

    private static JsonObject IstiodValues(ClusterScope scope)
    {
        var global = new JsonObject
        {
            ["meshID"] = scope.Config.MeshId,
            ["multiCluster"] = new JsonObject { ["clusterName"] = scope.Cluster.Name },
        };
        if (scope.Cluster.Network is { } network) global["network"] = network;
        var values = new JsonObject
        {
            ["global"] = global,
            ["meshConfig"] = new JsonObject
            {
                ["trustDomain"] = "cluster.local",
                ["accessLogFile"] = "/dev/stdout",
            },
        };
        if (scope.Config.Replicas > 1)
        {
            // replicaCount is ignored while autoscaleEnabled (the default): the autoscaler's floor is what runs, and
            // above 1 the chart's default PodDisruptionBudget (minAvailable 1) is rendered
            values["autoscaleMin"] = IstioGatewayAvailability.ReplicatedMinimum;
        }
        else
        {
            // istiod asks for 500m/2Gi by default: too much for a laptop cluster
            values["autoscaleEnabled"] = false;
            values["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "256Mi" } };
        }
        return values;
    }

    public void MarkForInjection(V1ObjectMeta namespaceMetadata)
    {
        namespaceMetadata.Labels ??= new Dictionary<string, string>();
        namespaceMetadata.Labels["istio-injection"] = "enabled";
    }

    /// <summary>
    /// What istiod gives every sidecar unless told otherwise (global.proxy.resources): Envoy's memory grows with the
    /// configuration it holds, and Istio sizes it for that. A service may ask for more, never less.
    /// </summary>
    public static readonly ComputeResources SidecarDefaults = new("100m", "128Mi", "2000m", "1024Mi");

    public IDictionary<string, string> ProxyResourceAnnotations(ComputeResources proxy)
    {
        var sized = proxy.AtLeast(SidecarDefaults);
        return new Dictionary<string, string>
        {
            ["sidecar.istio.io/proxyCPU"] = sized.CpuRequest,
            ["sidecar.istio.io/proxyMemory"] = sized.MemoryRequest,
            ["sidecar.istio.io/proxyCPULimit"] = sized.CpuLimit,
            ["sidecar.istio.io/proxyMemoryLimit"] = sized.MemoryLimit,
        };
    }
}
