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

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd from its edge Helm charts: linkerd-crds (with the Gateway API CRDs at the version Linkerd
/// supports) and linkerd-control-plane with identity and webhook certificates made by the tls provider.
/// </summary>
public sealed class LinkerdMesh : IServiceMesh
{
    public const string ControlPlaneNamespace = "linkerd";

    public MeshKind Kind => MeshKind.Linkerd;

    private LinkerdIdentity? _identity;

    /// <summary>The mesh's identity PKI in <paramref name="graph"/>: one trust anchor for every cluster of the synthesis.</summary>
    public LinkerdIdentity Identity(ResourceGraph graph) => _identity is { } identity && identity.Graph == graph ? identity : _identity = new LinkerdIdentity(graph);

    /// <summary>
    /// Linkerd's policy controller knows only <c>http</c>, <c>kubernetes.io/h2c</c> and <c>linkerd.io/opaque</c> (or
    /// <c>linkerd.io/tcp</c>); anything else is "unknown" (linkerd2 edge-26.8.3 policy-controller/core/src/outbound.rs 53-61).
    /// </summary>
    public string OpaqueTcpAppProtocol => "linkerd.io/opaque";

    /// <summary>The port named opaque on the Service and on its pods, so the inbound proxy agrees with the callers'.</summary>
    public IDictionary<string, string>? OpaqueTcpPortAnnotations(int port) =>
        new Dictionary<string, string> { ["config.linkerd.io/opaque-ports"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public ITrafficRenderer Traffic { get; } = new LinkerdTrafficRenderer();
    public IMeshSecurity Security { get; } = new LinkerdSecurity();
    public IMeshObservability Observability { get; } = new LinkerdObservability();
    public IMeshDelivery Delivery { get; } = new LinkerdDelivery();
    public IReadOnlyList<IStackComponent> MultiCluster { get; } = [new LinkerdMultiCluster()];
    public IReadOnlyList<IStackComponent> Platform { get; } = [new LinkerdPodSecurity()];

    public MeshInstallation Install(ClusterScope scope)
    {
        var chart = scope.Config.Charts.Linkerd;
        var ns = scope.Namespace("ns-linkerd", ControlPlaneNamespace, new Dictionary<string, string>
        {
            ["linkerd.io/is-control-plane"] = "true",
            ["linkerd.io/control-plane-ns"] = ControlPlaneNamespace,
            // the control plane must never be sent through its own injector
            ["config.linkerd.io/admission-webhooks"] = "disabled",
        });

        // Gateway API CRDs from linkerd-crds: the version Linkerd is built against, not the newest upstream.
        var crds = scope.HelmRelease("linkerd-crds", chart.Release("linkerd-crds", "linkerd-crds", ControlPlaneNamespace, new JsonObject { ["installGatewayAPI"] = true }),
            [ns], retainOnDelete: true);

        var identity = Identity(scope.Graph);
        var issuer = identity.Issuer(scope.Cluster.Name);
        var values = new JsonObject
        {
            ["identityTrustAnchorsPEM"] = identity.TrustAnchor.CertPem.ToString(),
            ["identity"] = new JsonObject
            {
                ["issuer"] = new JsonObject
                {
                    ["tls"] = new JsonObject
                    {
                        ["crtPEM"] = issuer.CertPem.ToString(),
                        ["keyPEM"] = issuer.Key.PrivateKeyPem.ToString(),
                    },
                },
            },
        };
        LinkerdWebhookCertificates.AddTo(scope.Graph, scope.Cluster.Name, ControlPlaneNamespace, values);
        if (scope.Config.Replicas > 1) LinkerdHighAvailability.AddToControlPlane(values);
        var controlPlane = scope.HelmRelease("linkerd-control-plane",
            chart.Release("linkerd-control-plane", "linkerd-control-plane", ControlPlaneNamespace, values) with { Timeout = 600 }, [crds]);
        return new MeshInstallation(crds, controlPlane);
    }

    public void MarkForInjection(V1ObjectMeta namespaceMetadata)
    {
        namespaceMetadata.Annotations ??= new Dictionary<string, string>();
        namespaceMetadata.Annotations["linkerd.io/inject"] = "enabled";
        // the default inbound policy (strict/permissive, per namespace) is set by Security.SecurityComponent
    }

    public IDictionary<string, string> ProxyResourceAnnotations(ComputeResources proxy) => new Dictionary<string, string>
    {
        ["config.linkerd.io/proxy-cpu-request"] = proxy.CpuRequest,
        ["config.linkerd.io/proxy-memory-request"] = proxy.MemoryRequest,
        ["config.linkerd.io/proxy-cpu-limit"] = proxy.CpuLimit,
        ["config.linkerd.io/proxy-memory-limit"] = proxy.MemoryLimit,
    };
}
