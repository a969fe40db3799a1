using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Security;

namespace MeshStack.Analysis.Simulation;

/// <summary>
/// Answers "what happens to this request?" on a render, with the same simulators the rules and tests use: the
/// route (the caller's proxy, or the edge's), the mTLS mode at the destination, and the authorization verdict of each
/// destination workload.
/// </summary>
public sealed class RequestExplainer(RenderModel model)
{
    public const string Ingress = "ingress";
    public const string Unmeshed = "unmeshed";

    public Explanation Explain(string from, string to, HttpCall call, string? cluster)
    {
        var ns = model.Topology.Namespace;
        if (!model.Topology.Services.Any(s => s.Name == to)) throw new ArgumentException($"--to {to}: not a service of the app (services: {string.Join(", ", model.Topology.Services.Select(s => s.Name))})");
        if (from is not (Ingress or Unmeshed) && !model.Topology.Services.Any(s => s.Name == from))
            throw new ArgumentException($"--from {from}: not a service, '{Ingress}' or '{Unmeshed}'");
        var pods = (string c) => model.Pods.Where(p => p.Owner.Cluster == c && p.Owner.Namespace == ns && p.Labels.GetValueOrDefault("app") is { } app
            && (app == to || app.StartsWith(to + "-", StringComparison.Ordinal)) && model.OfKind("", "Service", c).Any(s => s.Namespace == ns && s.Name == to
                && LabelSelector.Matches(s.Spec?["selector"] as JsonObject, p.Labels))).ToList();
        cluster ??= model.Clusters.FirstOrDefault(c => pods(c).Count > 0)
            ?? throw new ArgumentException($"no cluster runs {to}");
        if (!model.Clusters.Contains(cluster)) throw new ArgumentException($"--cluster {cluster}: not a cluster of the stack ({string.Join(", ", model.Clusters)})");
        var objects = model.ObjectsIn(cluster);

        Peer? caller = from switch
        {
            Unmeshed => null,
            Ingress => EdgeIdentities.Ingress(model.Mesh),
            _ => new Peer(from, ns, model.Pods.FirstOrDefault(p => p.Owner.Cluster == cluster && p.Labels.GetValueOrDefault("app") == from)?.ServiceAccount ?? from),
        };
        var identity = caller is null ? null : model.Mesh == MeshKind.Istio ? IstioSecurityRenderer.Principal(caller) : LinkerdSecurityRenderer.Identity(caller);

        var (route, note) = Route(objects, from, to, ns, call);
        var service = model.OfKind("", "Service", cluster).FirstOrDefault(s => s.Namespace == ns && s.Name == to);
        var port = (service?.Spec?["ports"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var portName = port?["targetPort"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? port["targetPort"]!.GetValue<string>() : port?["name"]?.GetValue<string>() ?? "http";
        var portNumber = Json.Int(port?["port"]);
        var request = new InboundRequest(identity, call.Method, call.Path, call.Header("authorization") is null ? null : "(a valid token)", Port: portNumber);
        var verdicts = pods(cluster).Select(p => new WorkloadVerdict(
            $"{p.Owner.Kind}/{p.Owner.Namespace}/{p.Owner.Name}",
            model.Mesh == MeshKind.Istio
                ? new IstioAuthorizer(objects).Decide(ns, p.Labels, request)
                : new LinkerdAuthorizer(objects).Decide(ns, p.Labels, portName, request))).ToList();
        return new Explanation(cluster, from, identity, to, call, route, note, Mtls(objects, ns, caller is null), verdicts);
    }

    private (RouteDecision?, string) Route(IReadOnlyList<JsonObject> objects, string from, string to, string ns, HttpCall call)
    {
        if (from == Unmeshed) return (null, "an unmeshed client has no proxy: kube-proxy picks any endpoint of the Service, with no mesh timeout or retries");
        var host = $"{to}.{ns}.svc.cluster.local";
        if (model.Mesh == MeshKind.Istio)
        {
            var router = new IstioRouter(objects);
            if (from == Ingress)
            {
                // the edge's own VirtualServices (bound to a Gateway) route what arrives from outside
                foreach (var gw in objects.Where(o => o["kind"]?.GetValue<string>() == "Gateway" && o["apiVersion"]?.GetValue<string>()?.StartsWith("networking.istio.io/", StringComparison.Ordinal) == true))
                {
                    var name = $"{gw["metadata"]?["namespace"]}/{gw["metadata"]?["name"]}";
                    foreach (var edgeHost in (gw["spec"]?["servers"] as JsonArray ?? []).SelectMany(s => s?["hosts"] as JsonArray ?? []).Select(h => h?.GetValue<string>() ?? ""))
                    {
                        var bare = edgeHost.Contains('/') ? edgeHost[(edgeHost.IndexOf('/') + 1)..] : edgeHost;
                        if (router.Route(bare, call, name) is { } edge && edge.Backends.Any(b => b.Name == host || b.Name == to)) return (edge, "");
                        if (router.Route(bare, call, gw["metadata"]?["name"]?.GetValue<string>() ?? "") is { } edge2 && edge2.Backends.Any(b => b.Name == host || b.Name == to)) return (edge2, "");
                    }
                }
            }
            var mesh = router.Route(host, call);
            return (mesh, mesh is null ? "no VirtualService rule matches: the Service's endpoints, round robin, no mesh timeout" : "");
        }
        var gateway = new GatewayRouter(objects).Route("Service", to, ns, call);
        return (gateway, gateway is null ? "no HTTPRoute of the Service matches: Linkerd sends it to the Service's endpoints" : "");
    }

    private string Mtls(IReadOnlyList<JsonObject> objects, string ns, bool unmeshedCaller)
    {
        if (model.Mesh == MeshKind.Istio)
        {
            string? Mode(string n) => objects.Where(o => o["kind"]?.GetValue<string>() == "PeerAuthentication" && o["metadata"]?["namespace"]?.GetValue<string>() == n && o["spec"]?["selector"] is null)
                .Select(o => o["spec"]?["mtls"]?["mode"]?.GetValue<string>()).FirstOrDefault(m => m is not null);
            var mode = Mode(ns) is { } own ? $"{own} (PeerAuthentication in {ns})"
                : Mode(IstioMesh.SystemNamespace) is { } root ? $"{root} (mesh-wide PeerAuthentication in {IstioMesh.SystemNamespace})" : "PERMISSIVE (Istio's default: no PeerAuthentication)";
            return unmeshedCaller ? $"{mode}; the caller sends plaintext, which only PERMISSIVE accepts" : $"{mode}; the caller's sidecar originates mutual TLS";
        }
        var policy = objects.FirstOrDefault(o => o["kind"]?.GetValue<string>() == "Namespace" && o["metadata"]?["name"]?.GetValue<string>() == ns)?["metadata"]?["annotations"]?[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation]?.GetValue<string>()
            ?? "all-unauthenticated (cluster default)";
        return unmeshedCaller ? $"plaintext from an unmeshed client; namespace default inbound policy {policy}" : $"mutual TLS between proxies; namespace default inbound policy {policy}";
    }
}
