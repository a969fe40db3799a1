using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Security;
using MeshStack.Security.Policy;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd's security slot: the default inbound policy as a namespace annotation (per namespace, also for overrides),
/// Servers with their HTTPRoutes and AuthorizationPolicies per service; in gateway mode, callers from other clusters
/// arrive as the multicluster gateway.
/// </summary>
public sealed class LinkerdSecurity : IMeshSecurity
{
    public Peer Ingress => EdgeIdentities.LinkerdIngress;

    /// <summary>Linkerd's policy is per namespace: no namespace speaks for the whole mesh.</summary>
    public string? MeshWideNamespace => null;

    /// <summary>
    /// The gateway opens the connection to the callee with its own identity, so it cannot be narrowed per caller
    /// (linkerd/linkerd2#9848); pod-to-pod mode connects directly.
    /// </summary>
    public Peer? CrossClusterIdentity(ClusterConfig cluster) =>
        cluster.Export == ExportMode.Gateway ? EdgeIdentities.LinkerdMultiClusterGateway : null;

    public void Configure(ClusterPlan plan, StackConfig config)
    {
        var ns = plan.Topology.Namespace;
        plan.CustomizeAppNamespace(meta =>
        {
            meta.Annotations ??= new Dictionary<string, string>();
            meta.Annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation] =
                LinkerdSecurityRenderer.DefaultInboundPolicy(MtlsModes.For(config, ns));
        });
    }

    public MeshPolicies Build(ClusterBuild build, StackConfig config, AuthorizationIntent intent, IReadOnlyList<AppService> local) => new(
        LinkerdSecurityRenderer.Authorization(intent, local, build.Topology.Name, MtlsModes.For(config, build.Topology.Namespace), build.Plan.AppLabels),
        []);

    /// <summary>The namespace object is emitted after synthesis: annotating it here is still in time.</summary>
    public object? MtlsOverride(string ns, MtlsMode mode, Resource namespaceResource)
    {
        var meta = ((V1Namespace)namespaceResource.Inputs).Metadata;
        meta.Annotations ??= new Dictionary<string, string>();
        meta.Annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation] = LinkerdSecurityRenderer.DefaultInboundPolicy(mode);
        return null;
    }

    /// <summary>
    /// Every meshed namespace the stack creates (observability, linkerd-viz, ...) gets the configured mode, not the
    /// cluster default (all-unauthenticated). A namespace that set its own policy on purpose (the edge, which must
    /// accept clients from outside the mesh) keeps it.
    /// </summary>
    public void Complete(IReadOnlyList<ClusterBuild> clusters, ResourceGraph graph, StackConfig config)
    {
        foreach (var build in clusters)
        {
            foreach (var (name, resource) in ClusterNamespaces.In(graph, build.Scope.Cluster.Name))
            {
                var meta = ((V1Namespace)resource.Inputs).Metadata;
                if (meta.Annotations is null || !meta.Annotations.TryGetValue("linkerd.io/inject", out var inject) || inject != "enabled") continue;
                if (meta.Annotations.ContainsKey(LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation)) continue;
                meta.Annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation] = LinkerdSecurityRenderer.DefaultInboundPolicy(MtlsModes.For(config, name));
            }
        }
    }

    public IEnumerable<UnauthorizedEdge> UnauthorizedEdges(string cluster, AuthorizationIntent intent, IReadOnlyList<RenderedObject> objects)
    {
        var servers = objects.Where(o => o.Is("policy.linkerd.io", "Server")).ToList();
        var routes = objects.Where(o => o.Is("policy.linkerd.io", "HTTPRoute")).ToList();
        var policies = objects.Where(o => o.Is("policy.linkerd.io", "AuthorizationPolicy")).ToList();
        var authns = objects.Where(o => o.Is("policy.linkerd.io", "MeshTLSAuthentication")).ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var g in intent.Grants)
        {
            var serverNames = servers.Where(s => s.Spec?["podSelector"]?["matchLabels"]?["app"]?.GetValue<string>() == g.To.Name)
                .Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            if (serverNames.Count == 0)
            {
                yield return new($"cluster {cluster}: {g.To.Name}", new(cluster, "Service", intent.Namespace, g.To.Name), "no Server on the service's port: every caller is allowed");
                continue;
            }
            var identity = LinkerdSecurityRenderer.Identity(g.From);
            foreach (var route in g.Routes)
            {
                var routeNames = routes.Where(r =>
                        (r.Spec?["parentRefs"] as JsonArray ?? []).Any(p => serverNames.Contains(p?["name"]?.GetValue<string>() ?? ""))
                        && (r.Spec?["rules"] as JsonArray ?? []).SelectMany(x => x?["matches"] as JsonArray ?? []).Any(m => Matches(m, route)))
                    .Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
                var granted = policies.Any(p => p.Spec?["targetRef"]?["kind"]?.GetValue<string>() == "HTTPRoute"
                    && routeNames.Contains(p.Spec["targetRef"]!["name"]?.GetValue<string>() ?? "")
                    && (p.Spec["requiredAuthenticationRefs"] as JsonArray ?? []).Any(a =>
                        a?["kind"]?.GetValue<string>() == "MeshTLSAuthentication"
                        && authns.TryGetValue(a["name"]?.GetValue<string>() ?? "", out var m)
                        && RenderedStrings.Of(m.Spec?["identities"]).Contains(identity)));
                if (!granted) yield return UnauthorizedEdge.Route(cluster, intent, g, route);
            }
        }
    }

    private static bool Matches(JsonNode? m, ApiRoute route) =>
        m?["method"]?.GetValue<string>() == route.Method && m["path"]?["value"]?.GetValue<string>() == LinkerdSecurityRenderer.Path(route.Path).Value;
}
