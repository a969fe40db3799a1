using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Security;
using MeshStack.Security.Policy;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Istio;

/// <summary>
/// Istio's security slot: a mesh-wide PeerAuthentication in the root namespace, AuthorizationPolicies per service,
/// the JWT rules at the gateway; per-namespace overrides as PeerAuthentications of their own.
/// </summary>
public sealed class IstioSecurity : IMeshSecurity
{
    public Peer Ingress => EdgeIdentities.IstioIngress;

    public string? MeshWideNamespace => IstioMesh.SystemNamespace;

    /// <summary>mTLS stays end to end through the east-west gateway (AUTO_PASSTHROUGH): the caller's own identity arrives.</summary>
    public Peer? CrossClusterIdentity(ClusterConfig cluster) => null;

    public MeshPolicies Build(ClusterBuild build, StackConfig config, AuthorizationIntent intent, IReadOnlyList<AppService> local)
    {
        var topology = build.Topology;
        var objects = new List<object>
        {
            IstioSecurityRenderer.PeerAuthentication(IstioMesh.SystemNamespace, config.Mtls),
        };
        objects.AddRange(IstioSecurityRenderer.Authorization(intent, local, build.Plan.AppLabels));
        var dependsOn = new List<Resource>();
        if (config.Jwt is { } jwt && topology.EdgeTokenService is { } jwtService)
        {
            objects.AddRange(IstioSecurityRenderer.Jwt(jwt, topology.Namespace, jwtService));
            // the ingress gateway's namespace must exist before its RequestAuthentication
            if (ClusterNamespaces.In(build.Scope.Graph, build.Scope.Cluster.Name).TryGetValue(IstioMesh.IngressNamespace, out var ingressNs))
                dependsOn.Add(ingressNs);
        }
        return new MeshPolicies(objects, dependsOn);
    }

    public object? MtlsOverride(string ns, MtlsMode mode, Resource namespaceResource) => IstioSecurityRenderer.PeerAuthentication(ns, mode);

    public IEnumerable<UnauthorizedEdge> UnauthorizedEdges(string cluster, AuthorizationIntent intent, IReadOnlyList<RenderedObject> objects)
    {
        var policies = objects.Where(o => o.Is("security.istio.io", "AuthorizationPolicy")).ToList();
        if (!policies.Any(p => p.Spec is { } s && s["selector"] is null && s["rules"] is null && (s["action"]?.GetValue<string>() ?? "ALLOW") == "ALLOW"))
            yield return new($"cluster {cluster}, namespace {intent.Namespace}", new(cluster, "Namespace", null, intent.Namespace), "no allow-nothing AuthorizationPolicy: calls nobody declared are allowed");
        foreach (var g in intent.Grants)
        foreach (var route in g.Routes)
        {
            var principal = IstioSecurityRenderer.Principal(g.From);
            var paths = IstioSecurityRenderer.Paths(route.Path);
            var granted = policies.Any(p => (p.Spec?["action"]?.GetValue<string>() ?? "ALLOW") == "ALLOW"
                && p.Spec?["selector"]?["matchLabels"]?["app"]?.GetValue<string>() == g.To.Name
                && (p.Spec["rules"] as JsonArray ?? []).Any(r =>
                    RenderedStrings.Of(r?["from"], f => f?["source"]?["principals"]).Contains(principal)
                    && (r?["to"] as JsonArray ?? []).Any(t =>
                        RenderedStrings.Of(t?["operation"]?["methods"]).Contains(route.Method) && paths.All(RenderedStrings.Of(t?["operation"]?["paths"]).Contains))));
            if (!granted) yield return UnauthorizedEdge.Route(cluster, intent, g, route);
        }
    }
}
