using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Analysis.Simulation;
using MeshStack.Linkerd.Analysis;
using MeshStack.Security;
using MeshStack.Security.Policy;
using MeshStack.Topology;

namespace MeshStack.Linkerd;

/// <summary>Linkerd as the analysis sees it: proxy injection, ServiceAccount identities, Gateway API routes on Services, trust anchors.</summary>
public sealed class LinkerdAnalysis : IMeshAnalysis
{
    public static readonly LinkerdAnalysis Instance = new();

    private LinkerdAnalysis()
    {
    }

    public string Name => "linkerd";

    public IReadOnlyList<AnalysisRule> Rules { get; } =
    [
        new LinkerdIdentityUnknown(),
        new ServerSelectsNothing(),
        new ServerPortUnknown(),
        new LinkerdReferenceUnknown(),
        new ScrapeDenied(),
        new ServerConflict(),
        new LinkerdLinkMissing(),
        new MetricWithoutTls(),
        new FlaggerVersionStallsOnLinkerd(),
    ];

    public bool InstalledBy(IReadOnlyList<HelmRelease> releases) => releases.Any(r => r.Chart == "linkerd-control-plane");

    public Peer Ingress => EdgeIdentities.LinkerdIngress;

    public string Identity(Peer peer) => LinkerdSecurityRenderer.Identity(peer);

    public bool IsMeshed(RenderModel model, WorkloadPod pod)
    {
        if (Json.Str(pod.Template["metadata"]?["annotations"]?["linkerd.io/inject"]) is { } podInject) return podInject is "enabled" or "ingress";
        var ns = model.OfKind("", "Namespace", pod.Owner.Cluster).FirstOrDefault(n => n.Name == pod.Owner.Namespace);
        return Json.Str(ns?.Object["metadata"]?["annotations"]?["linkerd.io/inject"]) is "enabled" or "ingress";
    }

    public IReadOnlyDictionary<string, string> InjectedLabels(RenderModel model, WorkloadPod pod) => pod.Labels;

    public AuthorizationVerdict Authorize(IReadOnlyList<JsonObject> objects, string ns, IReadOnlyDictionary<string, string> podLabels, string portName, InboundRequest request) =>
        new LinkerdAuthorizer(objects).Decide(ns, podLabels, portName, request);

    /// <summary>The inbound proxy authorizes the kubelet's probes like any request.</summary>
    public bool ProbesReachPolicy(WorkloadPod pod) => true;

    public bool Permissive(RenderModel model, string cluster, string ns)
    {
        var annotation = model.OfKind("", "Namespace", cluster).FirstOrDefault(n => n.Name == ns)?.Object["metadata"]?["annotations"]?[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation];
        return (Json.Str(annotation) ?? "all-unauthenticated") is "all-unauthenticated" or "cluster-unauthenticated";
    }

    public RouteDecision? Route(IReadOnlyList<JsonObject> objects, string service, string ns, HttpCall call) =>
        new GatewayRouter(objects).Route("Service", service, ns, call);

    public RouteDecision? RouteIn(RenderModel model, string cluster, string service, string ns, HttpCall call) =>
        model.GatewayRouterIn(cluster).Route("Service", service, ns, call);

    /// <summary>The meshed edge's proxy routes by the Service's HTTPRoutes like any other caller's.</summary>
    public (RouteDecision? Route, string Note) EdgeRoute(IReadOnlyList<JsonObject> objects, string service, string ns, HttpCall call) =>
        Route(objects, service, ns, call) is { } route ? (route, "") : (null, NoRouteNote);

    public string NoRouteNote => "no HTTPRoute of the Service matches: Linkerd sends it to the Service's endpoints";

    public string Mtls(IReadOnlyList<JsonObject> objects, string ns, bool unmeshedCaller)
    {
        var policy = objects.FirstOrDefault(o => o["kind"]?.GetValue<string>() == "Namespace" && o["metadata"]?["name"]?.GetValue<string>() == ns)?["metadata"]?["annotations"]?[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation]?.GetValue<string>()
            ?? "all-unauthenticated (cluster default)";
        return unmeshedCaller ? $"plaintext from an unmeshed client; namespace default inbound policy {policy}" : $"mutual TLS between proxies; namespace default inbound policy {policy}";
    }

    /// <summary>An HTTPRoute of the Service sends its clients to other backends (mirrors of other clusters).</summary>
    public bool ServedElsewhere(RenderModel model, RenderedObject service) =>
        model.OfKind("gateway.networking.k8s.io", "HTTPRoute", service.Cluster)
            .Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => Json.Str(p["kind"]) == "Service" && Json.Str(p["name"]) == service.Name))
            .SelectMany(r => Json.Objects(r.Spec?["rules"])).SelectMany(r => Json.Objects(r["backendRefs"]))
            .Any(b => Json.Str(b["name"]) != service.Name);

    public bool Retries(RenderModel model, string cluster, string service) =>
        ServiceRoutes(model, cluster, service).Any(r => (Json.Int(r.Object["metadata"]?["annotations"]?["retry.linkerd.io/limit"]) ?? 0) > 0);

    public bool OutlierDetection(RenderModel model, string cluster, RenderedObject service) =>
        Json.Str(service.Object["metadata"]?["annotations"]?["balancer.linkerd.io/failure-accrual"]) == "consecutive";

    public string OutlierDetectionFix => "annotate the Service balancer.linkerd.io/failure-accrual: consecutive";

    public bool ServesCanaryProvider(string provider) => provider is "linkerd" || provider.StartsWith("gatewayapi", StringComparison.Ordinal);

    public string CanaryProviderFix => "use provider gatewayapi:v1 (or linkerd)";

    public bool IngressGranted(RenderModel model, string cluster, string service)
    {
        var ns = model.Topology.Namespace;
        var identity = Identity(Ingress);
        var authns = model.OfKind("policy.linkerd.io", "MeshTLSAuthentication", cluster).Where(m => m.Namespace == ns && Json.Strings(m.Spec?["identities"]).Contains(identity)).Select(m => m.Name).ToHashSet();
        var servers = model.OfKind("policy.linkerd.io", "Server", cluster).Where(s => s.Namespace == ns && Json.Str(s.Spec?["podSelector"]?["matchLabels"]?["app"]) == service).Select(s => s.Name).ToHashSet();
        var routes = model.OfKind("policy.linkerd.io", "HTTPRoute", cluster).Where(r => r.Namespace == ns && Json.Objects(r.Spec?["parentRefs"]).Any(p => servers.Contains(Json.Str(p["name"]) ?? ""))).Select(r => r.Name).ToHashSet();
        return model.OfKind("policy.linkerd.io", "AuthorizationPolicy", cluster).Where(p => p.Namespace == ns)
            .Any(p => (routes.Contains(Json.Str(p.Spec?["targetRef"]?["name"]) ?? "") || servers.Contains(Json.Str(p.Spec?["targetRef"]?["name"]) ?? ""))
                && Json.Objects(p.Spec?["requiredAuthenticationRefs"]).Any(a => authns.Contains(Json.Str(a["name"]) ?? "")));
    }

    /// <summary>The edge's Gateway API routes and the routing headers no RequestHeaderModifier of theirs removes.</summary>
    public IEnumerable<(RenderedObject Edge, IReadOnlyList<string> Open)> EdgeForwards(RenderModel model, string cluster, IReadOnlySet<string> routingHeaders)
    {
        foreach (var route in model.OfKind("gateway.networking.k8s.io", "HTTPRoute", cluster).Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => (Json.Str(p["kind"]) ?? "Gateway") == "Gateway")))
        {
            var removed = Json.Objects(route.Spec?["rules"]).SelectMany(r => Json.Objects(r["filters"])).SelectMany(f => Json.Strings(f["requestHeaderModifier"]?["remove"])).ToHashSet(StringComparer.OrdinalIgnoreCase);
            yield return (route, routingHeaders.Where(h => !removed.Contains(h)).ToList());
        }
    }

    public string EdgeHeaderFix => "add a RequestHeaderModifier that removes the header";

    /// <summary>Every control plane shares <c>identityTrustAnchorsPEM</c> and <c>identityTrustDomain</c> (default cluster.local).</summary>
    public IEnumerable<TrustSetting> SharedTrust(RenderModel model)
    {
        var cps = ControlPlanes(model).ToList();
        return cps.Select(r => new TrustSetting(r.Ref, "identityTrustAnchorsPEM", r.Value("identityTrustAnchorsPEM")?.ToJsonString()))
            .Concat(cps.Select(r => new TrustSetting(r.Ref, "identityTrustDomain", r.Value("identityTrustDomain")?.ToJsonString() ?? "\"cluster.local\"")));
    }

    /// <summary>
    /// The identity controller signs with the issuer from the chart's <c>identity.issuer.tls.crtPEM/keyPEM</c> and verifies
    /// it against <c>identityTrustAnchorsPEM</c> (linkerd2 charts/linkerd-control-plane/values.yaml 472-484, edge-26.8.3).
    /// </summary>
    public IEnumerable<IssuerChain> IssuerChains(RenderModel model) =>
        ControlPlanes(model).Select(r => new IssuerChain(r.Ref, IssuerKeys,
            Json.Str(r.Value("identityTrustAnchorsPEM")), Json.Str(r.Value("identity.issuer.tls.crtPEM")), Json.Str(r.Value("identity.issuer.tls.keyPEM")), null));

    private static readonly IssuerChainKeys IssuerKeys = new("identityTrustAnchorsPEM", "identity.issuer.tls.crtPEM", "identity.issuer.tls.keyPEM", null);

    private static IEnumerable<HelmRelease> ControlPlanes(RenderModel model) => model.Releases.Where(r => r.Chart == "linkerd-control-plane");

    /// <summary>A route of the service, in a cluster that runs it, with a mirrored (remote) backend.</summary>
    public IEnumerable<(RenderedObject Where, string How, string Fix)> StatefulFailovers(RenderModel model, AppService service, string cluster)
    {
        var ns = model.Topology.Namespace;
        // only a cluster that runs the service fails over; one that does not must send it elsewhere
        if (!model.Pods.Any(p => p.Owner.Cluster == cluster && p.Owner.Namespace == ns && p.Labels.GetValueOrDefault("app") == service.Name)) yield break;
        var remote = ServiceRoutes(model, cluster, service.Name)
            .FirstOrDefault(r => Json.Objects(r.Spec?["rules"]).SelectMany(x => Json.Objects(x["backendRefs"])).Any(b => model.Clusters.Any(c => Json.Str(b["name"]) == $"{service.Name}-{c}")));
        if (remote is not null)
            yield return (remote, "this route sends it", "route stateful services to one cluster's instances (or replicate their data)");
    }

    private static IEnumerable<RenderedObject> ServiceRoutes(RenderModel model, string cluster, string service) =>
        model.OfKind("gateway.networking.k8s.io", "HTTPRoute", cluster)
            .Where(r => Json.Objects(r.Spec?["parentRefs"]).Any(p => Json.Str(p["kind"]) == "Service" && Json.Str(p["name"]) == service));
}
