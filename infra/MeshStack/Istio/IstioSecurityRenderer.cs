using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Security.Istio.V1;
using MeshStack.Security;
using MeshStack.Topology;

namespace MeshStack.Istio;

/// <summary>
/// Istio's rendering of the security intent: PeerAuthentication per mTLS scope, an allow-nothing policy plus
/// one ALLOW AuthorizationPolicy per callee naming exactly its callers' principals, methods and paths, and
/// JWT (RequestAuthentication + a DENY policy) at the edge. The injector rewrites kubelet probes to the agent's status
/// port 15020 (<c>/app-health/&lt;container&gt;/livez|readyz</c>, answered by pilot-agent, which calls the app itself);
/// 15021 is Envoy's own readiness (<c>/healthz/ready</c>), and Prometheus scrapes Envoy's stats on 15090. None of these
/// ports is captured for inbound traffic, so none passes the app port's authorization and none needs a grant here.
/// </summary>
public static class IstioSecurityRenderer
{
    public const string TrustDomain = "cluster.local";
    public const string AllowNothing = "allow-nothing";
    public const string RequireJwt = "require-jwt";

    /// <summary>The gateway chart's selector label for the istio-ingress release.</summary>
    public static readonly KeyValuePair<string, string> IngressSelector = new("istio", "ingress");

    public static string Principal(Peer peer) => $"{TrustDomain}/ns/{peer.Namespace}/sa/{peer.ServiceAccount}";

    public static PeerAuthentication PeerAuthentication(string ns, MtlsMode mode) => new()
    {
        // "default" with no selector is the namespace-wide policy; in the root namespace it is mesh-wide
        Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = ns },
        Spec = new PeerAuthenticationSpec
        {
            Mtls = new PeerAuthenticationSpecMtls
            {
                Mode = mode == MtlsMode.Strict ? PeerAuthenticationSpecMode.Strict : PeerAuthenticationSpecMode.Permissive,
            },
        },
    };

    /// <param name="appLabels">
    /// The <c>app</c> label values of a service's pods: its name, and for a service Flagger delivers also
    /// <c>&lt;service&gt;-primary</c> (the primary's pods); each pod set gets the same ALLOW policy. Null: the name only.
    /// </param>
    public static List<object> Authorization(AuthorizationIntent intent, IEnumerable<AppService> services, Func<string, IReadOnlyList<string>>? appLabels = null)
    {
        appLabels ??= name => [name];
        var objects = new List<object>
        {
            // an ALLOW policy without rules matches nothing: every workload in the namespace denies by default
            new AuthorizationPolicy
            {
                Metadata = new V1ObjectMeta { Name = AllowNothing, NamespaceProperty = intent.Namespace },
                Spec = new AuthorizationPolicySpec(),
            },
        };
        if (intent.DatabaseClients.Count > 0)
        {
            // plain TCP: only the connecting identity and the port can be checked
            objects.Add(new AuthorizationPolicy
            {
                Metadata = new V1ObjectMeta { Name = $"{Database.PostgresComponent.Name}-clients", NamespaceProperty = intent.Namespace },
                Spec = new AuthorizationPolicySpec
                {
                    Selector = new AuthorizationPolicySpecSelector { MatchLabels = new() { ["app"] = Database.PostgresComponent.Name } },
                    Action = AuthorizationPolicySpecAction.Allow,
                    Rules =
                    [
                        new AuthorizationPolicySpecRules
                        {
                            From = [new AuthorizationPolicySpecRulesFrom { Source = new() { Principals = intent.DatabaseClients.Select(Principal).ToList() } }],
                            To = [new AuthorizationPolicySpecRulesTo { Operation = new() { Ports = [Database.PostgresComponent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)] } }],
                        },
                    ],
                },
            });
        }
        foreach (var callee in services)
        {
            var grants = intent.To(callee).ToList();
            if (grants.Count == 0) continue;
            // a workload selector has matchLabels only: one policy per pod set
            foreach (var app in appLabels(callee.Name))
            {
                objects.Add(new AuthorizationPolicy
                {
                    Metadata = new V1ObjectMeta { Name = $"{app}-callers", NamespaceProperty = intent.Namespace },
                    Spec = new AuthorizationPolicySpec
                    {
                        Selector = new AuthorizationPolicySpecSelector { MatchLabels = new() { ["app"] = app } },
                        Action = AuthorizationPolicySpecAction.Allow,
                        Rules = grants.Select(g => new AuthorizationPolicySpecRules
                        {
                            From = [new AuthorizationPolicySpecRulesFrom { Source = new() { Principals = [Principal(g.From)] } }],
                            To = g.Routes.Select(r => new AuthorizationPolicySpecRulesTo
                            {
                                Operation = new AuthorizationPolicySpecRulesToOperation { Methods = [r.Method], Paths = [.. Paths(r.Path)] },
                            }).ToList(),
                        }).ToList(),
                    },
                });
            }
        }
        return objects;
    }

    /// <summary>
    /// Tokens are validated at the ingress (rejecting bad ones early, forwarding good ones) and again at the
    /// api-gateway, whose sidecar is where the request principal exists for the DENY policy to check.
    /// </summary>
    public static List<object> Jwt(JwtConfig jwt, string appNamespace, AppService gateway)
    {
        var gatewaySelector = new Dictionary<string, string> { ["app"] = gateway.Name };
        RequestAuthenticationSpecJwtRules Rule() => new()
        {
            Issuer = jwt.Issuer,
            JwksUri = jwt.JwksUri,
            Audiences = [.. jwt.Audiences],
            // the api-gateway validates the same token again and the services may read it
            ForwardOriginalToken = true,
        };
        var rules = new List<AuthorizationPolicySpecRules>
        {
            // no valid token at all
            new()
            {
                From = [new AuthorizationPolicySpecRulesFrom { Source = new() { NotRequestPrincipals = ["*"] } }],
                To = [new AuthorizationPolicySpecRulesTo { Operation = new() { Paths = [.. jwt.Paths] } }],
            },
        };
        // a valid token whose claim is missing or has none of the accepted values
        rules.AddRange(jwt.RequiredClaims.Select(c => new AuthorizationPolicySpecRules
        {
            To = [new AuthorizationPolicySpecRulesTo { Operation = new() { Paths = [.. jwt.Paths] } }],
            When = [new AuthorizationPolicySpecRulesWhen { Key = $"request.auth.claims[{c.Key}]", NotValues = [.. c.Value] }],
        }));
        return
        [
            new RequestAuthentication
            {
                Metadata = new V1ObjectMeta { Name = "jwt", NamespaceProperty = IstioMesh.IngressNamespace },
                Spec = new RequestAuthenticationSpec
                {
                    Selector = new RequestAuthenticationSpecSelector { MatchLabels = new() { [IngressSelector.Key] = IngressSelector.Value } },
                    JwtRules = [Rule()],
                },
            },
            new RequestAuthentication
            {
                Metadata = new V1ObjectMeta { Name = $"{gateway.Name}-jwt", NamespaceProperty = appNamespace },
                Spec = new RequestAuthenticationSpec
                {
                    Selector = new RequestAuthenticationSpecSelector { MatchLabels = gatewaySelector },
                    JwtRules = [Rule()],
                },
            },
            new AuthorizationPolicy
            {
                Metadata = new V1ObjectMeta { Name = $"{gateway.Name}-{RequireJwt}", NamespaceProperty = appNamespace },
                Spec = new AuthorizationPolicySpec
                {
                    Selector = new AuthorizationPolicySpecSelector { MatchLabels = gatewaySelector },
                    Action = AuthorizationPolicySpecAction.Deny,
                    Rules = rules,
                },
            },
        ];
    }

    /// <summary>
    /// A route's path in AuthorizationPolicy notation, with the topology's meaning (<see cref="PathMatch"/>). Istio
    /// reads a trailing <c>*</c> as a plain string prefix (<c>/orders*</c> would admit <c>/ordersX</c>), so a segment
    /// prefix is two paths, the prefix itself and everything below it, and a prefix ending in <c>/</c> is one. Regexes only in the shape Istio can express,
    /// whole segments of <c>[^/]+</c> becoming the <c>{*}</c> template.
    /// </summary>
    public static IReadOnlyList<string> Paths(PathMatch match)
    {
        switch (match.Kind)
        {
            case PathMatchKind.Exact: return [match.Value];
            case PathMatchKind.Prefix when match.ChildrenOnly: return [match.Value + "*"];
            case PathMatchKind.Prefix: return [match.Value, match.Value + "/*"];
        }
        if (Unexpressible(match) is { } why) throw new InvalidOperationException(why);
        return [string.Join('/', Segments(match))];
    }

    private static string[] Segments(PathMatch match) => match.Value.Replace("[^/]+", "{*}", StringComparison.Ordinal).Split('/');

    /// <summary>
    /// Why an AuthorizationPolicy cannot express <paramref name="match"/>, or null when it can: its paths are strings
    /// with <c>{*}</c>/<c>{**}</c> templates, not regexes. The config binder refuses such a route on Istio with this
    /// message, so a render never meets one.
    /// </summary>
    public static string? Unexpressible(PathMatch match) =>
        match.Kind == PathMatchKind.Regex
        && Segments(match).Any(segment => segment != "{*}" && segment.IndexOfAny(['[', ']', '(', ')', '*', '+', '?', '.', '\\', '^', '$', '|', '{', '}']) >= 0)
            ? $"route path regex '{match.Value}' cannot be expressed in an Istio AuthorizationPolicy: use literal segments and whole [^/]+ segments only"
            : null;
}
