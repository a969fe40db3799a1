using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Kubernetes;
using MeshStack.Crds.Networking.Istio.V1;
using MeshStack.Graph;
using MeshStack.MultiCluster;
using MeshStack.Synthesis;

namespace MeshStack.Istio;

/// <summary>
/// Istio multi-primary on several networks (the shared root of trust is part of every install, see
/// <see cref="IstioTrust"/>): per cluster an east-west gateway (the <c>gateway</c> chart with
/// <c>networkGateway</c>) and the cross-network Gateway on 15443 in AUTO_PASSTHROUGH, when the cluster's network
/// differs from another cluster's; and the remote secrets <c>istioctl create-remote-secret</c> would make, in both
/// directions: the reader ServiceAccount's token in each cluster becomes <c>istio-remote-secret-&lt;name&gt;</c> in
/// every other cluster, so each istiod discovers the endpoints of all clusters.
/// </summary>
public sealed class IstioMultiCluster : IStackComponent
{
    public const string EastWestRelease = "istio-eastwestgateway";
    public const string CrossNetworkGateway = "cross-network-gateway";
    /// <summary>The gateway chart labels its pods <c>istio: &lt;release name without "istio-"&gt;</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> EastWestSelector = new Dictionary<string, string> { ["istio"] = "eastwestgateway" };
    public const int CrossNetworkPort = 15443;

    /// <summary>The ServiceAccount the base chart creates for remote istiods to read this cluster.</summary>
    public const string ReaderServiceAccount = "istio-reader-service-account";
    public const string ReaderTokenSecret = "istio-reader-service-account-istio-remote-secret-token";
    public const string RemoteSecretLabel = "istio/multiCluster";
    public const string RemoteSecretClusterAnnotation = "networking.istio.io/cluster";

    public static string RemoteSecretName(string source) => $"istio-remote-secret-{source}";

    private readonly List<(ClusterBuild Build, RemoteAccess Access)> _clusters = [];

    public void Build(ClusterBuild build)
    {
        var scope = build.Scope;
        // the base release creates the reader ServiceAccount; istiod's release its RBAC
        var access = RemoteAccess.Create(scope, "istio-reader-token", IstioMesh.SystemNamespace, ReaderServiceAccount, ReaderTokenSecret, build.Install.Crds);
        _clusters.Add((build, access));

        if (NeedsEastWestGateway(build)) AddEastWestGateway(build);
    }

    /// <summary>An east-west gateway is needed where traffic crosses networks: this cluster's network is set and another cluster's differs.</summary>
    public static bool NeedsEastWestGateway(ClusterBuild build)
    {
        var cluster = build.Scope.Cluster;
        return cluster.Network is not null && build.Scope.Config.Clusters.Any(c => c.Name != cluster.Name && c.Network != cluster.Network);
    }

    private static void AddEastWestGateway(ClusterBuild build)
    {
        var scope = build.Scope;
        var network = scope.Cluster.Network!;
        // labels pods and Service with the network, asks for the network's view, and exposes 15021/15443/15012/15017
        var values = new JsonObject { ["networkGateway"] = network };
        IstioGatewayAvailability.AddTo(values, scope.Config.Replicas);
        var gateway = scope.HelmRelease(EastWestRelease, scope.Config.Charts.Istio.Release(EastWestRelease, "gateway", IstioMesh.SystemNamespace, values),
            [build.Install.ControlPlane]);

        // every service of this network, reachable from the others by SNI, mTLS passed through untouched
        scope.CustomResources("cross-network-gateway",
        [
            new Gateway
            {
                Metadata = new V1ObjectMeta { Name = CrossNetworkGateway, NamespaceProperty = IstioMesh.SystemNamespace },
                Spec = new GatewaySpec
                {
                    Selector = new Dictionary<string, string>(EastWestSelector),
                    Servers =
                    [
                        new GatewaySpecServers
                        {
                            Port = new GatewaySpecServersPort { Number = CrossNetworkPort, Name = "tls", Protocol = "TLS" },
                            Tls = new GatewaySpecServersTls { Mode = GatewaySpecServersTlsMode.AutoPassthrough },
                            Hosts = ["*.local"],
                        },
                    ],
                },
            },
        ], build.Install.Crds, gateway);
    }

    /// <summary>Once every cluster's reader token exists: in each cluster, the remote secret of every other cluster.</summary>
    public void Complete(ResourceGraph graph)
    {
        foreach (var (target, _) in _clusters)
        {
            foreach (var (_, source) in _clusters.Where(c => c.Access.Cluster.Name != target.Scope.Cluster.Name))
            {
                var name = source.Cluster.Name;
                target.Scope.Add(RemoteSecretName(name), new V1Secret
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = RemoteSecretName(name),
                        NamespaceProperty = IstioMesh.SystemNamespace,
                        Labels = new Dictionary<string, string> { [RemoteSecretLabel] = "true" },
                        Annotations = new Dictionary<string, string> { [RemoteSecretClusterAnnotation] = name },
                    },
                    StringData = new Dictionary<string, string> { [name] = source.Kubeconfig() },
                }, target.Install.Crds, source.TokenSecret);
            }
        }
    }
}
