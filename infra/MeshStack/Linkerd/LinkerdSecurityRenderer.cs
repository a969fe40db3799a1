using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds;
using MeshStack.Crds.Policy.Linkerd.V1alpha1;
using MeshStack.Crds.Policy.Linkerd.V1beta3;
using MeshStack.Security;
using MeshStack.Topology;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd's rendering of the security intent. A Server on each service's port denies everything it does not
/// authorize; each route somebody calls becomes an inbound HTTPRoute (method + path) on that Server with an
/// AuthorizationPolicy requiring a MeshTLSAuthentication of exactly its callers' identities.
/// Once a Server has routes, Linkerd no longer authorizes kubelet probes by itself, so the probe paths get a
/// route of their own open to every network (the kubelet has no mesh identity).
/// Under permissive mTLS the app Servers admit unauthenticated clients on every declared route: their
/// <c>accessPolicy: all-unauthenticated</c> becomes an authorization of the Server, which the proxy appends to every
/// route's own (linkerd2 edge-26.8.3 policy-controller/k8s/index/src/inbound/index.rs 1883-1885 and defaults.rs
/// 83-129; linkerd2-proxy linkerd/proxy/server-policy/src/authz.rs 80-89), while a path no route declares stays
/// denied. Under strict the Servers deny, and only the declared callers' identities pass.
/// </summary>
public static class LinkerdSecurityRenderer
{
    public const string Group = "policy.linkerd.io";
    public const string DefaultInboundPolicyAnnotation = "config.linkerd.io/default-inbound-policy";
    public const string ProbeNetworks = "kubelet-probes";
    public const string AdminServer = "linkerd-admin";
    /// <summary>The proxy container's admin port name (metrics, /live, /ready).</summary>
    public const string AdminPortName = "linkerd-admin";

    public static string Identity(Peer peer) => $"{peer.ServiceAccount}.{peer.Namespace}.serviceaccount.identity.linkerd.cluster.local";

    /// <summary>strict: only meshed (authenticated) clients; permissive: anyone, for namespaces still being meshed.</summary>
    public static string DefaultInboundPolicy(MtlsMode mode) => mode == MtlsMode.Strict ? "all-authenticated" : "all-unauthenticated";

    public static string ServerName(AppService service) => ServerName(service.Name);

    /// <summary>The Server of the pods whose <c>app</c> label is <paramref name="app"/>.</summary>
    public static string ServerName(string app) => $"{app}-http";

    /// <param name="appLabels">
    /// The <c>app</c> label values of a service's pods: its name, and for a service Flagger delivers also
    /// <c>&lt;service&gt;-primary</c> (the primary's pods). Each pod set gets its own Server, and the inbound routes
    /// (so their authorization) attach to all of them. Null: the name only.
    /// </param>
    /// <param name="mode">The app namespace's mTLS mode.</param>
    public static List<object> Authorization(AuthorizationIntent intent, IEnumerable<AppService> services, string partOfLabel, MtlsMode mode,
        Func<string, IReadOnlyList<string>>? appLabels = null)
    {
        var permissive = mode == MtlsMode.Permissive;
        appLabels ??= name => [name];
        var ns = intent.Namespace;
        var objects = new List<object>();
        var probeNetworks = PolicyRef.Emit(objects, new NetworkAuthentication
        {
            Metadata = Meta(ProbeNetworks, ns),
            Spec = new NetworkAuthenticationSpec { Networks = [new() { Cidr = "0.0.0.0/0" }, new() { Cidr = "::/0" }] },
        });
        foreach (var service in services)
        {
            var servers = new List<PolicyRef>();
            foreach (var app in appLabels(service.Name))
            {
                servers.Add(PolicyRef.Emit(objects, new Server
                {
                    Metadata = Meta(ServerName(app), ns),
                    Spec = new ServerSpec
                    {
                        PodSelector = new ServerSpecPodSelector { MatchLabels = new JsonObject { ["app"] = app } },
                        Port = new MeshStack.Crds.IntOrString("http"),
                        ProxyProtocol = "HTTP/1",
                        AccessPolicy = permissive ? "all-unauthenticated" : "deny",
                    },
                }));
            }
            var grants = intent.To(service).ToList();
            foreach (var route in service.Routes)
            {
                var callers = grants.Where(g => g.Routes.Contains(route)).Select(g => Identity(g.From)).Distinct().ToList();
                // "inbound" keeps these apart from the traffic HTTPRoutes (gateway.networking.k8s.io) of the same service and route
                var name = $"{service.Name}-inbound-{route.Name}";
                // strict: nobody may call it, so no route and the Server denies it; permissive: the route exists for unmeshed clients
                if (callers.Count == 0 && !permissive) continue;
                var inbound = PolicyRef.Emit(objects, Route(name, ns, servers, [route]));
                if (callers.Count == 0) continue;
                var authenticated = PolicyRef.Emit(objects, new MeshTLSAuthentication
                {
                    Metadata = Meta($"{name}-callers", ns),
                    Spec = new MeshTLSAuthenticationSpec { Identities = callers },
                });
                objects.Add(Policy(name, ns, inbound, authenticated));
            }
            var probes = PolicyRef.Emit(objects, Route($"{service.Name}-probes", ns, servers, AuthorizationIntent.ProbeRoutes(service)));
            objects.Add(Policy(probes.Name, ns, probes, probeNetworks));
        }

        if (intent.DatabaseClients.Count > 0)
        {
            // PostgreSQL is opaque TCP: authorization is per connection, on the Server itself
            const string postgres = Database.PostgresComponent.Name;
            var server = PolicyRef.Emit(objects, new Server
            {
                Metadata = Meta($"{postgres}-tcp", ns),
                Spec = new ServerSpec
                {
                    PodSelector = new ServerSpecPodSelector { MatchLabels = new JsonObject { ["app"] = postgres } },
                    Port = new MeshStack.Crds.IntOrString("postgres"),
                    ProxyProtocol = "opaque",
                    AccessPolicy = "deny",
                },
            });
            var clients = PolicyRef.Emit(objects, new MeshTLSAuthentication
            {
                Metadata = Meta($"{postgres}-clients", ns),
                Spec = new MeshTLSAuthenticationSpec { Identities = intent.DatabaseClients.Select(Identity).ToList() },
            });
            objects.Add(Policy($"{postgres}-clients", ns, server, clients));
        }

        // every proxy's admin port: linkerd-viz Prometheus may scrape /metrics, the kubelet may probe /live and /ready
        var admin = PolicyRef.Emit(objects, new Server
        {
            Metadata = Meta(AdminServer, ns),
            Spec = new ServerSpec
            {
                PodSelector = new ServerSpecPodSelector { MatchLabels = new JsonObject { ["app.kubernetes.io/part-of"] = partOfLabel } },
                Port = new MeshStack.Crds.IntOrString(AdminPortName),
                ProxyProtocol = "HTTP/1",
                AccessPolicy = "deny",
            },
        });
        var metrics = PolicyRef.Emit(objects, Route($"{AdminServer}-metrics", ns, [admin], [ApiRoute.Read("metrics", PathMatch.Exact("/metrics"))]));
        var prometheus = PolicyRef.Emit(objects, VizPrometheus(ns));
        objects.Add(Policy(metrics.Name, ns, metrics, prometheus));
        var adminProbes = PolicyRef.Emit(objects, Route($"{AdminServer}-probes", ns, [admin],
            [ApiRoute.Read("live", PathMatch.Exact("/live")), ApiRoute.Read("ready", PathMatch.Exact("/ready"))]));
        objects.Add(Policy(adminProbes.Name, ns, adminProbes, probeNetworks));
        return objects;
    }

    private static V1ObjectMeta Meta(string name, string ns) => new() { Name = name, NamespaceProperty = ns };

    /// <summary>The identity of linkerd-viz's Prometheus, which scrapes the proxies and the collector.</summary>
    internal static MeshTLSAuthentication VizPrometheus(string ns) => new()
    {
        Metadata = Meta("linkerd-viz-prometheus", ns),
        Spec = new MeshTLSAuthenticationSpec { Identities = [Identity(EdgeIdentities.LinkerdVizPrometheus)] },
    };

    /// <summary>An inbound route on Servers: one match per API route (method + path).</summary>
    internal static HTTPRoute Route(string name, string ns, IReadOnlyList<PolicyRef> servers, IReadOnlyList<ApiRoute> routes) => new()
    {
        Metadata = Meta(name, ns),
        Spec = new HTTPRouteSpec
        {
            ParentRefs = servers.Select(server => new HTTPRouteSpecParentRefs { Group = server.Group, Kind = server.Kind, Name = server.Name }).ToList(),
            Rules = [new HTTPRouteSpecRules { Matches = routes.Select(Match).ToList() }],
        },
    };

    private static HTTPRouteSpecRulesMatches Match(ApiRoute route) => new()
    {
        Method = Enum.Parse<HTTPRouteSpecRulesMatchesMethod>(route.Method, ignoreCase: true),
        Path = Path(route.Path),
    };

    /// <summary>
    /// A route path as an HTTPRoute path match with the topology's meaning (<see cref="PathMatch"/>). A segment prefix is
    /// a PathPrefix, which the proxy matches by whole segments (a regex <c>/orders.*</c> would also admit
    /// <c>/ordersX</c>). A prefix ending in <c>/</c> means only what lies below it, which PathPrefix cannot say: the
    /// proxy trims the slash and would also match the parent (linkerd2-proxy linkerd/http/route/src/http/match/path.rs
    /// 41-51), tying with the parent's own exact route at equal length (match.rs 96-104), a tie the policy controller
    /// breaks by creation time (policy-controller/grpc/src/inbound/http.rs 26-35 at edge-26.8.3), so either route's
    /// callers could win. It is the anchored expression of "the prefix, then anything" (path.rs 30-39).
    /// </summary>
    public static HTTPRouteSpecRulesMatchesPath Path(PathMatch path) => path.Kind switch
    {
        PathMatchKind.Exact => new() { Type = HTTPRouteSpecRulesMatchesPathType.Exact, Value = path.Value },
        PathMatchKind.Prefix when path.Value == "/" => new() { Type = HTTPRouteSpecRulesMatchesPathType.PathPrefix, Value = "/" },
        PathMatchKind.Prefix when path.ChildrenOnly => new()
        {
            Type = HTTPRouteSpecRulesMatchesPathType.RegularExpression, Value = System.Text.RegularExpressions.Regex.Escape(path.Value) + ".*",
        },
        PathMatchKind.Prefix => new() { Type = HTTPRouteSpecRulesMatchesPathType.PathPrefix, Value = path.Value },
        _ => new() { Type = HTTPRouteSpecRulesMatchesPathType.RegularExpression, Value = path.Value },
    };

    /// <summary>An authorization of <paramref name="target"/> (a route or a Server) for the clients <paramref name="authentication"/> admits.</summary>
    internal static AuthorizationPolicy Policy(string name, string ns, PolicyRef target, PolicyRef authentication) => new()
    {
        Metadata = Meta(name, ns),
        Spec = new AuthorizationPolicySpec
        {
            TargetRef = new AuthorizationPolicySpecTargetRef { Group = target.Group, Kind = target.Kind, Name = target.Name },
            RequiredAuthenticationRefs =
                [new AuthorizationPolicySpecRequiredAuthenticationRefs { Group = authentication.Group, Kind = authentication.Kind, Name = authentication.Name }],
        },
    };

}
