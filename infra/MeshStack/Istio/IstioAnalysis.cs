using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Traffic;
using MeshStack.Analysis.Simulation;
using MeshStack.Istio.Analysis;
using MeshStack.Security;
using MeshStack.Security.Policy;
using MeshStack.Topology;

namespace MeshStack.Istio;

/// <summary>Istio as the analysis sees it: sidecar injection, SPIFFE principals, VirtualService routing, plug-in CA trust.</summary>
public sealed class IstioAnalysis : IMeshAnalysis
{
    public static readonly IstioAnalysis Instance = new();

    private IstioAnalysis()
    {
    }

    public string Name => "istio";

    public IReadOnlyList<AnalysisRule> Rules { get; } =
    [
        new IstioDestinationUnknown(),
        new AuthorizationPolicySelectsNothing(),
        new RequestAuthenticationSelectsNothing(),
        new IstioPrincipalUnknown(),
        new JwtNotEnforced(),
        new SubsetMissing(),
        new RuleShadowed(),
        new DuplicateHost(),
        new RetriesWithoutBudget(),
        new TelemetrySelectsNothing(),
        new TracingProviderUnknown(),
        new HelmReplicaCountIgnored(),
        new SinglePodGateway(),
        new IstioRemoteSecretMissing(),
    ];

    public bool InstalledBy(IReadOnlyList<HelmRelease> releases) => releases.Any(r => r.Chart == "istiod");

    public Peer Ingress => EdgeIdentities.IstioIngress;

    public string Identity(Peer peer) => IstioSecurityRenderer.Principal(peer);

    public bool IsMeshed(RenderModel model, WorkloadPod pod)
    {
        if (Json.Str(pod.Template["metadata"]?["labels"]?["sidecar.istio.io/inject"]) is { } own) return own == "true";
        var ns = model.OfKind("", "Namespace", pod.Owner.Cluster).FirstOrDefault(n => n.Name == pod.Owner.Namespace);
        return Json.Str(ns?.Object["metadata"]?["labels"]?["istio-injection"]) == "enabled";
    }

    /// <summary>
    /// Meshed pods carry the injector's <c>security.istio.io/tlsMode: istio</c> label (istio
    /// manifests/charts/istio-control/istio-discovery/files/injection-template.yaml 34, release-1.31).
    /// </summary>
    public IReadOnlyDictionary<string, string> InjectedLabels(RenderModel model, WorkloadPod pod)
    {
        if (!IsMeshed(model, pod)) return pod.Labels;
        var labels = new Dictionary<string, string>(pod.Labels, StringComparer.Ordinal);
        labels.TryAdd("security.istio.io/tlsMode", "istio");
        return labels;
    }

    public AuthorizationVerdict Authorize(IReadOnlyList<JsonObject> objects, string ns, IReadOnlyDictionary<string, string> podLabels, string portName, InboundRequest request) =>
        new IstioAuthorizer(objects).Decide(ns, podLabels, request);

    /// <summary>The sidecar answers rewritten HTTP probes itself unless <c>sidecar.istio.io/rewriteAppHTTPProbers: "false"</c>.</summary>
    public bool ProbesReachPolicy(WorkloadPod pod) =>
        Json.Str(pod.Template["metadata"]?["annotations"]?["sidecar.istio.io/rewriteAppHTTPProbers"]) == "false";

    public bool Permissive(RenderModel model, string cluster, string ns)
    {
        string? Mode(string n) => model.OfKind("security.istio.io", "PeerAuthentication", cluster)
            .Where(p => p.Namespace == n && p.Spec?["selector"] is null).Select(p => Json.Str(p.Spec?["mtls"]?["mode"])).FirstOrDefault(m => m is not null);
        return (Mode(ns) ?? Mode(IstioMesh.SystemNamespace) ?? "PERMISSIVE") == "PERMISSIVE";
    }

    public RouteDecision? Route(IReadOnlyList<JsonObject> objects, string service, string ns, HttpCall call) =>
        new IstioRouter(objects).Route($"{service}.{ns}.svc.cluster.local", call);

    public RouteDecision? RouteIn(RenderModel model, string cluster, string service, string ns, HttpCall call) =>
        model.IstioRouterIn(cluster).Route($"{service}.{ns}.svc.cluster.local", call);

    public (RouteDecision? Route, string Note) EdgeRoute(IReadOnlyList<JsonObject> objects, string service, string ns, HttpCall call)
    {
        var router = new IstioRouter(objects);
        var host = $"{service}.{ns}.svc.cluster.local";
        // the edge's own VirtualServices (bound to a Gateway) route what arrives from outside
        foreach (var gw in objects.Where(o => o["kind"]?.GetValue<string>() == "Gateway" && o["apiVersion"]?.GetValue<string>()?.StartsWith("networking.istio.io/", StringComparison.Ordinal) == true))
        {
            var name = $"{gw["metadata"]?["namespace"]}/{gw["metadata"]?["name"]}";
            foreach (var edgeHost in (gw["spec"]?["servers"] as JsonArray ?? []).SelectMany(s => s?["hosts"] as JsonArray ?? []).Select(h => h?.GetValue<string>() ?? ""))
            {
                var bare = edgeHost.Contains('/') ? edgeHost[(edgeHost.IndexOf('/') + 1)..] : edgeHost;
                if (router.Route(bare, call, name) is { } edge && edge.Backends.Any(b => b.Name == host || b.Name == service)) return (edge, "");
                if (router.Route(bare, call, gw["metadata"]?["name"]?.GetValue<string>() ?? "") is { } edge2 && edge2.Backends.Any(b => b.Name == host || b.Name == service)) return (edge2, "");
            }
        }
        var mesh = router.Route(host, call);
        return (mesh, mesh is null ? NoRouteNote : "");
    }

    public string NoRouteNote => "no VirtualService rule matches: the Service's endpoints, round robin, no mesh timeout";

    public string Mtls(IReadOnlyList<JsonObject> objects, string ns, bool unmeshedCaller)
    {
        string? Mode(string n) => objects.Where(o => o["kind"]?.GetValue<string>() == "PeerAuthentication" && o["metadata"]?["namespace"]?.GetValue<string>() == n && o["spec"]?["selector"] is null)
            .Select(o => o["spec"]?["mtls"]?["mode"]?.GetValue<string>()).FirstOrDefault(m => m is not null);
        var mode = Mode(ns) is { } own ? $"{own} (PeerAuthentication in {ns})"
            : Mode(IstioMesh.SystemNamespace) is { } root ? $"{root} (mesh-wide PeerAuthentication in {IstioMesh.SystemNamespace})" : "PERMISSIVE (Istio's default: no PeerAuthentication)";
        return unmeshedCaller ? $"{mode}; the caller sends plaintext, which only PERMISSIVE accepts" : $"{mode}; the caller's sidecar originates mutual TLS";
    }

    /// <summary>Istio merges the endpoints of the same Service across the mesh's clusters.</summary>
    public bool ServedElsewhere(RenderModel model, RenderedObject service) =>
        model.Clusters.Any(c => c != service.Cluster && model.OfKind("", "Service", c).Any(o => o.Name == service.Name && o.Namespace == service.Namespace
            && model.PodsSelectedBy(c, service.Namespace, o.Spec?["selector"] as JsonObject).Any()));

    /// <summary>A rule without a retries block retries by Istio's default policy (see <see cref="IstioRouter"/>).</summary>
    public bool Retries(RenderModel model, string cluster, string service) =>
        IstioHttpRule.In(model).Where(r => r.VirtualService.Cluster == cluster && r.Routes.Any(d => ServiceResolver.Parse(Json.Str(d["destination"]?["host"]) ?? "", r.VirtualService.Namespace ?? "") is { } t && t.Name == service))
            .Any(r => r.Rule["retries"] is null || (Json.Int(r.Rule["retries"]!["attempts"]) ?? 0) > 0);

    public bool OutlierDetection(RenderModel model, string cluster, RenderedObject service) =>
        model.OfKind("networking.istio.io", "DestinationRule", cluster).Any(d => ServiceResolver.Parse(Json.Str(d.Spec?["host"]) ?? "", d.Namespace ?? service.Namespace ?? "default") == (service.Name, service.Namespace)
            && d.Spec?["trafficPolicy"]?["outlierDetection"] is not null);

    public string OutlierDetectionFix => "set trafficPolicy.outlierDetection in the DestinationRule";

    public bool ServesCanaryProvider(string provider) => provider == "istio" || provider.StartsWith("gatewayapi", StringComparison.Ordinal);

    public string CanaryProviderFix => "use provider istio";

    public bool IngressGranted(RenderModel model, string cluster, string service)
    {
        var ns = model.Topology.Namespace;
        var principal = Identity(Ingress);
        return model.OfKind("security.istio.io", "AuthorizationPolicy", cluster)
            .Where(p => p.Namespace == ns && Json.Str(p.Spec?["selector"]?["matchLabels"]?["app"]) == service)
            .SelectMany(p => Json.Objects(p.Spec?["rules"])).SelectMany(r => Json.Objects(r["from"]))
            .Any(f => Json.Strings(f["source"]?["principals"]).Contains(principal));
    }

    /// <summary>The edge VirtualServices (bound to a Gateway) and the routing headers their <c>headers.request.remove</c> leaves in.</summary>
    public IEnumerable<(RenderedObject Edge, IReadOnlyList<string> Open)> EdgeForwards(RenderModel model, string cluster, IReadOnlySet<string> routingHeaders)
    {
        foreach (var vs in model.OfKind("networking.istio.io", "VirtualService", cluster).Where(v => Json.Strings(v.Spec?["gateways"]).Any(g => g != "mesh")))
        {
            var removed = Json.Strings(vs.Spec?["headers"]?["request"]?["remove"])
                .Concat(Json.Objects(vs.Spec?["http"]).SelectMany(r => Json.Strings(r["headers"]?["request"]?["remove"]))).ToHashSet(StringComparer.OrdinalIgnoreCase);
            IReadOnlyList<string> open = Json.Objects(vs.Spec?["http"]).Any(r => !Json.Strings(r["headers"]?["request"]?["remove"]).Any())
                ? routingHeaders.Where(h => !removed.Contains(h)).ToList() : [];
            yield return (vs, open);
        }
    }

    public string EdgeHeaderFix => "remove the header at the edge (headers.request.remove)";

    /// <summary>
    /// Every istiod shares <c>global.meshID</c>, and every cluster's <c>cacerts</c> Secret carries the same
    /// <c>root-cert.pem</c>: a cluster without one gets istiod's own self-signed root (istio_ca.go 69-73), shared with nobody.
    /// </summary>
    public IEnumerable<TrustSetting> SharedTrust(RenderModel model)
    {
        var istiods = model.Releases.Where(r => r.Chart == "istiod").ToList();
        foreach (var r in istiods) yield return new TrustSetting(r.Ref, "global.meshID", r.Value("global.meshID")?.ToJsonString());
        foreach (var cluster in istiods.Select(r => r.Cluster).Distinct(StringComparer.Ordinal))
        {
            var secret = CaCerts(model).FirstOrDefault(s => s.Cluster == cluster);
            yield return new TrustSetting(secret?.Ref ?? new ObjectRef(cluster, "Secret", IstioMesh.SystemNamespace, IstioTrust.SecretName),
                "root-cert.pem", secret is null ? null : CaCertsValue(secret, "root-cert.pem")?.ToJsonString());
        }
    }

    /// <summary>
    /// istiod loads <c>cacerts</c> as its signing CA: ca-cert.pem/ca-key.pem sign, root-cert.pem is trusted and
    /// cert-chain.pem is handed out (istio security/pkg/pki/ca/ca.go 44-56, pilot/pkg/bootstrap/istio_ca.go 250-255,
    /// release-1.31).
    /// </summary>
    public IEnumerable<IssuerChain> IssuerChains(RenderModel model) =>
        CaCerts(model).Select(s => new IssuerChain(s.Ref, CaCertsKeys,
            Json.Str(CaCertsValue(s, "root-cert.pem")), Json.Str(CaCertsValue(s, "ca-cert.pem")),
            Json.Str(CaCertsValue(s, "ca-key.pem")), Json.Str(CaCertsValue(s, "cert-chain.pem"))));

    private static readonly IssuerChainKeys CaCertsKeys = new("root-cert.pem", "ca-cert.pem", "ca-key.pem", "cert-chain.pem");

    private static IEnumerable<RenderedObject> CaCerts(RenderModel model) =>
        model.OfKind("", "Secret").Where(s => s.Name == IstioTrust.SecretName && s.Namespace == IstioMesh.SystemNamespace);

    private static JsonNode? CaCertsValue(RenderedObject secret, string key) => secret.Object["stringData"]?[key] ?? secret.Object["data"]?[key];

    /// <summary>
    /// A DestinationRule with locality failover for the service, unless istiod's
    /// <c>meshConfig.serviceSettings[].settings.clusterLocal</c> keeps the host in its own cluster.
    /// </summary>
    public IEnumerable<(RenderedObject Where, string How, string Fix)> StatefulFailovers(RenderModel model, AppService service, string cluster)
    {
        var ns = model.Topology.Namespace;
        var clusterLocal = model.Releases.Where(r => r.Cluster == cluster && r.Chart == "istiod")
            .SelectMany(r => Json.Objects(r.Value("meshConfig.serviceSettings")))
            .Any(s => s["settings"]?["clusterLocal"]?.ToJsonString() == "true" && Json.Strings(s["hosts"]).Contains($"{service.Name}.{ns}.svc.cluster.local"));
        if (clusterLocal) yield break;
        foreach (var dr in model.OfKind("networking.istio.io", "DestinationRule", cluster).Where(d => ServiceResolver.Parse(Json.Str(d.Spec?["host"]) ?? "", d.Namespace ?? ns) == (service.Name, ns)))
        {
            var locality = dr.Spec?["trafficPolicy"]?["loadBalancer"]?["localityLbSetting"];
            if (locality is not null && Json.Str(locality["enabled"]) != "false" && locality["enabled"]?.ToJsonString() != "false")
                yield return (dr, "locality failover sends it", "disable failover for stateful services (or replicate their data across clusters)");
        }
    }
}
