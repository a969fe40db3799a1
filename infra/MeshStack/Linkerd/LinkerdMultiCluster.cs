using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.MultiCluster;
using MeshStack.Synthesis;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd multicluster (the identity trust anchor is already shared, see <see cref="LinkerdIdentity"/>):
/// <c>linkerd-multicluster</c> in every cluster, with a service-mirror controller per other cluster and a gateway where
/// the cluster exports through one; and for each ordered pair (source reads target) what
/// <c>linkerd --context=target multicluster link-gen | kubectl --context=source apply -f -</c> would apply: the target's
/// credentials as <c>cluster-credentials-&lt;target&gt;</c> in <c>linkerd-multicluster</c> (for the controller) and in
/// <c>linkerd</c> (for remote discovery), and the <c>Link</c>, whose gateway address is read from the target gateway
/// Service's status once its LoadBalancer has one. Services are exported by label, per the cluster's <c>export</c>.
/// </summary>
public sealed class LinkerdMultiCluster : IStackComponent
{
    public const string Namespace = "linkerd-multicluster";
    public const string Release = "linkerd-multicluster";
    public const string ControlPlaneNamespace = LinkerdMesh.ControlPlaneNamespace;

    /// <summary>Made by the chart in every cluster; the other clusters read this one with its token.</summary>
    public const string RemoteAccessServiceAccount = "linkerd-service-mirror-remote-access-default";
    /// <summary>
    /// The token Secret the stack makes for that ServiceAccount and waits for (the chart makes one too, but nothing
    /// waits for the token controller to fill it; a second token for the same account is equivalent).
    /// </summary>
    public const string RemoteAccessTokenSecret = "linkerd-service-mirror-remote-access-default-meshstack-token";

    public const string GatewayService = "linkerd-gateway";
    public const int GatewayPort = 4143;
    public const int ProbePort = 4191;
    public const string ProbePath = "/ready";
    /// <summary>The chart's <c>gateway.probe.seconds</c> (3), as the Go duration a Link wants.</summary>
    public const string ProbePeriod = "3s";

    public const string TrustDomain = "cluster.local";
    public const string ClusterDomain = "cluster.local";
    public const string GatewayIdentity = $"{GatewayService}.{Namespace}.serviceaccount.identity.{ControlPlaneNamespace}.{TrustDomain}";

    public const string CredentialsSecretType = "mirror.linkerd.io/remote-kubeconfig";
    public const string CredentialsKey = "kubeconfig";
    public const string ClusterNameLabel = "multicluster.linkerd.io/cluster-name";
    public const string TrustDomainAnnotation = "multicluster.linkerd.io/trust-domain";
    public const string ClusterDomainAnnotation = "multicluster.linkerd.io/cluster-domain";

    public const string ExportLabel = "mirror.linkerd.io/exported";
    public const string FederatedLabel = "mirror.linkerd.io/federated";

    public static string CredentialsSecret(string target) => $"cluster-credentials-{target}";

    /// <summary>The Service a link's controller mirrors an exported service to, in either export mode.</summary>
    public static string MirrorService(string service, string targetCluster) => $"{service}-{targetCluster}";

    /// <summary>The export label's value for a mode: gateway mirroring (<c>true</c>) or flat-network remote discovery.</summary>
    public static string ExportValue(ExportMode mode) => mode == ExportMode.Gateway ? "true" : "remote-discovery";

    private sealed record Member(ClusterBuild Build, Resource MultiCluster, RemoteAccess Access, Resource? Gateway);

    private readonly List<Member> _members = [];

    public void Configure(ClusterPlan plan)
    {
        var value = ExportValue(plan.Scope.Cluster.Export);
        plan.CustomizeServices((app, service) =>
        {
            // only where the service runs: an exported Service without pods would be mirrored without endpoints
            if (!plan.Runs(app)) return;
            service.Metadata.Labels ??= new Dictionary<string, string>();
            service.Metadata.Labels[ExportLabel] = value;
        });
    }

    public void Build(ClusterBuild build)
    {
        var scope = build.Scope;
        var cluster = scope.Cluster;
        var gatewayed = cluster.Export == ExportMode.Gateway;
        // made here instead of by the chart's post-install Job, which Pulumi would apply as a plain object
        var ns = scope.Namespace("ns-linkerd-multicluster", Namespace, new Dictionary<string, string>
        {
            ["linkerd.io/extension"] = "multicluster",
            // the proxy-init container needs NET_ADMIN without the CNI plugin
            ["pod-security.kubernetes.io/enforce"] = "privileged",
        }, dependsOn: build.Install.ControlPlane);

        var controllers = new JsonArray();
        foreach (var target in scope.Config.Clusters.Where(c => c.Name != cluster.Name))
        {
            var controller = new JsonObject { ["link"] = new JsonObject { ["ref"] = new JsonObject { ["name"] = target.Name } } };
            // no gateway on the other side: no probe Service for it either
            if (target.Export != ExportMode.Gateway) controller["gateway"] = new JsonObject { ["enabled"] = false };
            controllers.Add((JsonNode)controller);   // the node overload: Add<T> would wrap it as a value by reflection
        }
        var args = scope.Config.Charts.Linkerd.Release(Release, Release, Namespace, new JsonObject
        {
            ["createNamespaceMetadataJob"] = false,
            ["gateway"] = new JsonObject { ["enabled"] = gatewayed },
            ["controllers"] = controllers,
        });
        // Helm waits for the gateway's LoadBalancer address, which the Links of the other clusters read
        var release = scope.HelmRelease(Release, args with { Timeout = 600 }, [ns, build.Install.ControlPlane]);

        var access = RemoteAccess.Create(scope, "linkerd-remote-access-token", Namespace, RemoteAccessServiceAccount, RemoteAccessTokenSecret, release);
        var gateway = gatewayed ? scope.ReadCreatedBy<V1Service>("linkerd-gateway", release, GatewayService) : null;
        _members.Add(new Member(build, release, access, gateway));
    }

    /// <summary>Once every cluster is built: per ordered pair, the target's credentials and Link in the source.</summary>
    public void Complete(ResourceGraph graph)
    {
        foreach (var source in _members)
        {
            foreach (var target in _members.Where(m => m.Access.Cluster.Name != source.Access.Cluster.Name))
                AddLink(source, target);
        }
    }

    private static void AddLink(Member source, Member target)
    {
        var scope = source.Build.Scope;
        var name = target.Access.Cluster.Name;
        var kubeconfig = target.Access.Kubeconfig();
        var secret = CredentialsSecret(name);
        // for the link's service-mirror controller
        var controllerCredentials = scope.Add($"cluster-credentials-{name}", new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = secret, NamespaceProperty = Namespace },
            Type = CredentialsSecretType,
            StringData = new Dictionary<string, string> { [CredentialsKey] = kubeconfig },
        }, source.MultiCluster, target.Access.TokenSecret);
        // for the destination controller, which watches the target directly in remote-discovery mode
        var discoveryCredentials = scope.Add($"linkerd-cluster-credentials-{name}", new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = secret,
                NamespaceProperty = ControlPlaneNamespace,
                Labels = new Dictionary<string, string> { [ClusterNameLabel] = name },
                Annotations = new Dictionary<string, string>
                {
                    [TrustDomainAnnotation] = TrustDomain,
                    [ClusterDomainAnnotation] = ClusterDomain,
                },
            },
            Type = CredentialsSecretType,
            StringData = new Dictionary<string, string> { [CredentialsKey] = kubeconfig },
        }, source.Build.Install.ControlPlane, target.Access.TokenSecret);

        var spec = new LinkSpec
        {
            TargetClusterName = name,
            TargetClusterDomain = ClusterDomain,
            TargetClusterLinkerdNamespace = ControlPlaneNamespace,
            ClusterCredentialsSecret = secret,
            RemoteDiscoverySelector = Selector(ExportLabel, ExportValue(ExportMode.RemoteDiscovery)),
            FederatedServiceSelector = Selector(FederatedLabel, "member"),
        };
        if (target.Gateway is { } gateway)
        {
            // link-gen's address: the LoadBalancer's ingress IP, known once the target's release is ready, unless the
            // target's config names it (a load balancer known by a host name)
            spec.GatewayAddress = target.Access.Cluster.GatewayAddress ?? gateway.Output("status.loadBalancer.ingress[0].ip");
            spec.GatewayPort = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            spec.GatewayIdentity = GatewayIdentity;
            spec.ProbeSpec = new LinkProbeSpec
            {
                Path = ProbePath,
                Port = ProbePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Period = ProbePeriod,
            };
            spec.Selector = Selector(ExportLabel, ExportValue(ExportMode.Gateway));
        }
        scope.CustomResources($"link-{name}",
        [
            new LinkerdLink
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
                Spec = spec,
            },
        ], source.MultiCluster, controllerCredentials, discoveryCredentials, target.Gateway);
    }

    private static V1LabelSelector Selector(string label, string value) =>
        new() { MatchLabels = new Dictionary<string, string> { [label] = value } };
}
