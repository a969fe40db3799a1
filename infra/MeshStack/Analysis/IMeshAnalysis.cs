using System.Text.Json.Nodes;
using MeshStack.Analysis.Simulation;
using MeshStack.Security;
using MeshStack.Security.Policy;
using MeshStack.Topology;

namespace MeshStack.Analysis;

/// <summary>
/// The mesh a render runs on, as the analysis asks about it: which pods it injects, who a caller is, how its proxies
/// route and authorize a request, where its trust comes from, and the rules that judge only its own objects. The rules
/// that apply to both meshes ask this object wherever the meshes differ, so no rule branches on the mesh's name.
/// The implementations live with their mesh (Istio/, Linkerd/); Meshes/MeshAnalysisCatalog picks one.
/// </summary>
public interface IMeshAnalysis
{
    /// <summary>Lower-case name, as findings print it.</summary>
    string Name { get; }

    /// <summary>The rules that judge this mesh's objects only (run on its renders, listed in the catalogue).</summary>
    IReadOnlyList<AnalysisRule> Rules { get; }

    /// <summary>True when these releases install this mesh's control plane (how a render directory without config is read).</summary>
    bool InstalledBy(IReadOnlyList<HelmRelease> releases);

    /// <summary>The identity the edge's proxy presents to the app's services.</summary>
    Peer Ingress { get; }

    /// <summary>A caller's mesh identity as the policies name it.</summary>
    string Identity(Peer peer);

    bool IsMeshed(RenderModel model, WorkloadPod pod);

    /// <summary>The pod's labels once the mesh's injector has run (selectors of monitors see these).</summary>
    IReadOnlyDictionary<string, string> InjectedLabels(RenderModel model, WorkloadPod pod);

    /// <summary>The inbound proxy's verdict on a request to a pod (<paramref name="portName"/> for meshes that authorize per named port).</summary>
    AuthorizationVerdict Authorize(IReadOnlyList<JsonObject> objects, string ns, IReadOnlyDictionary<string, string> podLabels, string portName, InboundRequest request);

    /// <summary>True when the kubelet's HTTP probes of this pod reach its authorization policy (rather than being answered by the proxy).</summary>
    bool ProbesReachPolicy(WorkloadPod pod);

    /// <summary>True when the namespace accepts plaintext (unmeshed) clients at the transport level.</summary>
    bool Permissive(RenderModel model, string cluster, string ns);

    /// <summary>What the calling proxy does with a request to an app service (null: no mesh route matches).</summary>
    RouteDecision? Route(IReadOnlyList<JsonObject> objects, string service, string ns, HttpCall call);

    /// <summary>As <see cref="Route"/>, with the cluster's router the model keeps (rules route many calls per cluster).</summary>
    RouteDecision? RouteIn(RenderModel model, string cluster, string service, string ns, HttpCall call);

    /// <summary>The route a request from the edge takes to a service, or a note on why there is none.</summary>
    (RouteDecision? Route, string Note) EdgeRoute(IReadOnlyList<JsonObject> objects, string service, string ns, HttpCall call);

    /// <summary>A note on the route when no mesh route matches.</summary>
    string NoRouteNote { get; }

    /// <summary>The mTLS mode at the destination namespace, as <c>explain</c> prints it.</summary>
    string Mtls(IReadOnlyList<JsonObject> objects, string ns, bool unmeshedCaller);

    /// <summary>True when a Service with no local pods is served on purpose elsewhere (other clusters, other backends).</summary>
    bool ServedElsewhere(RenderModel model, RenderedObject service);

    /// <summary>True when the mesh retries calls to the service in the cluster.</summary>
    bool Retries(RenderModel model, string cluster, string service);

    /// <summary>True when a failing endpoint of the service is ejected; the fix when it is not.</summary>
    bool OutlierDetection(RenderModel model, string cluster, RenderedObject service);

    string OutlierDetectionFix { get; }

    /// <summary>True when Flagger can shift this mesh's traffic through the named provider; the fix when it cannot.</summary>
    bool ServesCanaryProvider(string provider);

    string CanaryProviderFix { get; }

    /// <summary>True when the ingress identity is authorized on the app service in the cluster.</summary>
    bool IngressGranted(RenderModel model, string cluster, string service);

    /// <summary>Each edge route of the cluster, with the routing headers it forwards from clients unremoved.</summary>
    IEnumerable<(RenderedObject Edge, IReadOnlyList<string> Open)> EdgeForwards(RenderModel model, string cluster, IReadOnlySet<string> routingHeaders);

    string EdgeHeaderFix { get; }

    /// <summary>Each cluster's trust settings that every cluster of the mesh must share (root, mesh ID, trust domain).</summary>
    IEnumerable<TrustSetting> SharedTrust(RenderModel model);

    /// <summary>Each cluster's identity issuer: the intermediate CA it signs workload certificates with, and the root it trusts.</summary>
    IEnumerable<IssuerChain> IssuerChains(RenderModel model);

    /// <summary>Where a database-backed service of a cluster fails over to another cluster, with the message's cause and the fix.</summary>
    IEnumerable<(RenderedObject Where, string How, string Fix)> StatefulFailovers(RenderModel model, AppService service, string cluster);
}
