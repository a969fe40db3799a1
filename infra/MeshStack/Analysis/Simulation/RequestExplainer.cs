using System.Text.Json.Nodes;
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
            Ingress => model.Mesh.Ingress,
            _ => new Peer(from, ns, model.Pods.FirstOrDefault(p => p.Owner.Cluster == cluster && p.Labels.GetValueOrDefault("app") == from)?.ServiceAccount ?? from),
        };
        var identity = caller is null ? null : model.Mesh.Identity(caller);

        var (route, note) = Route(objects, from, to, ns, call);
        var service = model.OfKind("", "Service", cluster).FirstOrDefault(s => s.Namespace == ns && s.Name == to);
        var port = (service?.Spec?["ports"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var portName = port?["targetPort"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? port["targetPort"]!.GetValue<string>() : port?["name"]?.GetValue<string>() ?? "http";
        var portNumber = Json.Int(port?["port"]);
        var request = new InboundRequest(identity, call.Method, call.Path, call.Header("authorization") is null ? null : "(a valid token)", Port: portNumber);
        var verdicts = pods(cluster).Select(p => new WorkloadVerdict(
            $"{p.Owner.Kind}/{p.Owner.Namespace}/{p.Owner.Name}",
            model.Mesh.Authorize(objects, ns, p.Labels, portName, request))).ToList();
        return new Explanation(cluster, from, identity, to, call, route, note, model.Mesh.Mtls(objects, ns, caller is null), verdicts);
    }

    private (RouteDecision?, string) Route(IReadOnlyList<JsonObject> objects, string from, string to, string ns, HttpCall call)
    {
        if (from == Unmeshed) return (null, "an unmeshed client has no proxy: kube-proxy picks any endpoint of the Service, with no mesh timeout or retries");
        if (from == Ingress) return model.Mesh.EdgeRoute(objects, to, ns, call);
        var route = model.Mesh.Route(objects, to, ns, call);
        return (route, route is null ? model.Mesh.NoRouteNote : "");
    }
}
