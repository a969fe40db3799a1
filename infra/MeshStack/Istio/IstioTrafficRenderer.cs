using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Networking.Istio.V1;
using MeshStack.Synthesis;
using MeshStack.Topology;
using MeshStack.Traffic;
using MeshStack.Workloads;

namespace MeshStack.Istio;

/// <summary>
/// Traffic intent as Istio <c>networking.istio.io/v1</c> resources: per service a DestinationRule (version
/// subsets, connection pool, outlier detection, load balancer, ISTIO_MUTUAL under strict mTLS) and a
/// VirtualService (ordered routes with timeouts, retries, canary weights and header routes, drill faults);
/// for the edge, a Gateway on the ingress gateway and one VirtualService per public host bound to it.
/// A service with an automated canary gets none of these: Flagger writes its VirtualService (for mesh traffic and
/// its edge hosts) and DestinationRules, so a second declaration of the same host would fight Flagger's.
/// </summary>
public sealed class IstioTrafficRenderer : ITrafficRenderer
{
    /// <summary>The Gateway the edge VirtualServices bind to, in the app namespace.</summary>
    public const string EdgeGateway = "edge";

    /// <summary>Pod label of the gateway chart's pods: the release name without its "istio-" prefix.</summary>
    public static readonly IReadOnlyDictionary<string, string> IngressSelector = new Dictionary<string, string> { ["istio"] = "ingress" };

    public void Build(ClusterBuild build, TrafficIntent intent)
    {
        var ns = build.Topology.Namespace;
        var strict = build.Scope.Config.Mtls == MtlsMode.Strict;
        var locality = LocalityFailover(build.Scope.Config, build.Scope.Cluster);
        var objects = new List<object>();
        foreach (var service in intent.Services.Where(s => !build.Plan.IsDeliveredByFlagger(s.Name)))
        {
            var made = build.Service(service.Name);
            objects.Add(DestinationRule(service, made, ns, strict, locality));
            objects.Add(MeshRoutes(service, made, ns));
        }
        if (intent.Edge.Count > 0)
        {
            // the Gateway stays ours; Flagger's VirtualService binds the hosts of the services it delivers to it
            objects.Add(Gateway(intent.Edge, ns, build.Scope.Config.EdgeTls));
            var stripped = EdgeHeaders.Stripped(intent);
            objects.AddRange(intent.Edge.Where(e => !build.Plan.IsDeliveredByFlagger(e.Service)).Select(e => EdgeRoutes(e, intent.Service(e.Service), build.Service(e.Service), ns, stripped)));
        }
        build.Scope.CustomResources("traffic", objects, build.Install.Crds, build.AppNamespace);
    }

    public static string Host(string service, string ns) => $"{service}.{ns}.svc.cluster.local";

    /// <summary>
    /// The DestinationRule's traffic policy in a Flagger Canary (which puts it on the primary's and the canary's
    /// DestinationRules). The Canary's schema has no TCP connection pool, so the connection limit is not carried.
    /// </summary>
    public static MeshStack.Crds.Flagger.V1beta1.CanarySpecServiceTrafficPolicy FlaggerTrafficPolicy(ServiceTraffic s, bool strict)
    {
        var cb = s.CircuitBreaker;
        return new()
        {
            LoadBalancer = s.LoadBalancing.Kind switch
            {
                LoadBalancerKind.ConsistentHash => new() { ConsistentHash = new() { HttpHeaderName = s.LoadBalancing.HashHeader } },
                LoadBalancerKind.RoundRobin => new() { Simple = MeshStack.Crds.Flagger.V1beta1.CanarySpecServiceTrafficPolicyLoadBalancerSimple.RoundRobin },
                _ => new() { Simple = MeshStack.Crds.Flagger.V1beta1.CanarySpecServiceTrafficPolicyLoadBalancerSimple.LeastRequest },
            },
            ConnectionPool = new() { Http = new() { Http1MaxPendingRequests = cb.MaxPendingRequests, MaxRetries = cb.MaxRetries } },
            OutlierDetection = new()
            {
                Consecutive5xxErrors = cb.ConsecutiveErrors,
                Interval = Duration.Format(cb.Interval),
                BaseEjectionTime = Duration.Format(cb.BaseEjectionTime),
                MaxEjectionPercent = cb.MaxEjectionPercent,
            },
            Tls = strict ? new() { Mode = MeshStack.Crds.Flagger.V1beta1.CanarySpecServiceTrafficPolicyTlsMode.IstioMutual } : null,
        };
    }

    /// <summary>
    /// Cross-cluster failover for a cluster that lists <c>failover</c> targets, in the order the list gives (see
    /// <see cref="FailoverOrder"/>; the binder refuses a list Istio cannot follow). Outlier detection ejects the failing
    /// endpoints of a better-ranked cluster, which is what moves traffic to the next. Region-based <c>failover</c> is not
    /// used: it needs node region labels the stack does not know.
    /// </summary>
    public static DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting? LocalityFailover(StackConfig config, ClusterConfig cluster) =>
        config.Clusters.Count > 1 && cluster.Failover.Count > 0
            ? new DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting
            {
                Enabled = true,
                FailoverPriority = [.. FailoverOrder.Priority(config.Clusters, cluster)
                    ?? throw new InvalidOperationException($"cluster {cluster.Name}: failover order not validated")],
            }
            : null;

    private static DestinationRule DestinationRule(ServiceTraffic s, ServiceRef service, string ns, bool strict,
        DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting? locality)
    {
        var cb = s.CircuitBreaker;
        var versions = s.Canary is { } c ? [s.Service.Version, c.Version] : new[] { s.Service.Version };
        return new DestinationRule
        {
            Metadata = new V1ObjectMeta { Name = s.Name, NamespaceProperty = ns },
            Spec = new DestinationRuleSpec
            {
                Host = service.Host,
                TrafficPolicy = new DestinationRuleSpecTrafficPolicy
                {
                    LoadBalancer = LoadBalancer(s.LoadBalancing, locality),
                    ConnectionPool = new DestinationRuleSpecTrafficPolicyConnectionPool
                    {
                        Tcp = new DestinationRuleSpecTrafficPolicyConnectionPoolTcp { MaxConnections = cb.MaxConnections },
                        // the retry budget: without it istiod sets no limit on concurrent retries
                        Http = new DestinationRuleSpecTrafficPolicyConnectionPoolHttp { Http1MaxPendingRequests = cb.MaxPendingRequests, MaxRetries = cb.MaxRetries },
                    },
                    // also what makes locality failover work: it ejects the failing endpoints of the preferred cluster
                    OutlierDetection = new DestinationRuleSpecTrafficPolicyOutlierDetection
                    {
                        Consecutive5xxErrors = cb.ConsecutiveErrors,
                        Interval = Duration.Format(cb.Interval),
                        BaseEjectionTime = Duration.Format(cb.BaseEjectionTime),
                        MaxEjectionPercent = cb.MaxEjectionPercent,
                    },
                    // a DestinationRule replaces the auto-mTLS decision for its host: say ISTIO_MUTUAL explicitly
                    Tls = strict ? new DestinationRuleSpecTrafficPolicyTls { Mode = DestinationRuleSpecTrafficPolicyTlsMode.IstioMutual } : null,
                },
                Subsets = versions.Select(v => new DestinationRuleSpecSubsets
                {
                    Name = v,
                    Labels = new Dictionary<string, string> { ["version"] = v },
                }).ToList(),
            },
        };
    }

    private static DestinationRuleSpecTrafficPolicyLoadBalancer LoadBalancer(LoadBalancing lb,
        DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting? locality) => lb.Kind switch
    {
        LoadBalancerKind.ConsistentHash => new()
        {
            ConsistentHash = new DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash { HttpHeaderName = lb.HashHeader },
            LocalityLbSetting = locality,
        },
        LoadBalancerKind.RoundRobin => new() { Simple = DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RoundRobin, LocalityLbSetting = locality },
        _ => new() { Simple = DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LeastRequest, LocalityLbSetting = locality },
    };

    private static VirtualService MeshRoutes(ServiceTraffic s, ServiceRef service, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = s.Name, NamespaceProperty = ns },
        Spec = new VirtualServiceSpec
        {
            Hosts = [service.Host],
            Http = Rules(s, service).ToList(),
        },
    };

    /// <summary>
    /// The edge listens on HTTPS (443, TLS terminated with the certificate in <paramref name="tls"/>'s Secret, which the
    /// gateway reads from its own namespace: istio 1.31 pilot/pkg/xds/sds.go 99 and 264-273) and answers plain HTTP
    /// (80) with a redirect to HTTPS. The gateway chart's Service exposes both ports (manifests/charts/gateway/values.yaml 54-61).
    /// </summary>
    private static Gateway Gateway(IReadOnlyList<EdgeHost> edge, string ns, Security.EdgeTlsConfig tls)
    {
        var hosts = edge.Select(e => $"{ns}/{e.Host}").ToList();
        return new Gateway
        {
            Metadata = new V1ObjectMeta { Name = EdgeGateway, NamespaceProperty = ns },
            Spec = new GatewaySpec
            {
                Selector = new Dictionary<string, string>(IngressSelector),
                Servers =
                [
                    new GatewaySpecServers
                    {
                        Name = "http",
                        Port = new GatewaySpecServersPort { Name = "http", Number = 80, Protocol = "HTTP" },
                        Hosts = [.. hosts],
                        Tls = new GatewaySpecServersTls { HttpsRedirect = true },
                    },
                    new GatewaySpecServers
                    {
                        Name = "https",
                        Port = new GatewaySpecServersPort { Name = "https", Number = 443, Protocol = "HTTPS" },
                        Hosts = [.. hosts],
                        Tls = new GatewaySpecServersTls { Mode = GatewaySpecServersTlsMode.Simple, CredentialName = tls.SecretName },
                    },
                ],
            },
        };
    }

    /// <summary>
    /// The edge host's routes: the service's, without the canary-header variants (an internet client must not choose
    /// the canary), each removing the internal headers before forwarding. Envoy matches a route on the request as it
    /// arrived, then applies the route's request_headers_to_remove (istio 1.31 pilot/pkg/networking/core/route/route.go
    /// 503-509, 1031-1054), so the header is gone for the service and every hop after it.
    /// </summary>
    private static VirtualService EdgeRoutes(EdgeHost edge, ServiceTraffic s, ServiceRef service, string ns, IReadOnlyList<string> stripped) => new()
    {
        Metadata = new V1ObjectMeta { Name = edge.ObjectName, NamespaceProperty = ns },
        Spec = new VirtualServiceSpec
        {
            Hosts = [edge.Host],
            Gateways = [EdgeGateway],
            Http = Rules(s, service, headerVariants: false).Select(rule =>
            {
                rule.Headers = stripped.Count == 0 ? null : new VirtualServiceSpecHttpHeaders { Request = new() { Remove = [.. stripped] } };
                return rule;
            }).ToList(),
        },
    };

    /// <summary>First match wins: per route the canary header variant, then the weighted route; the fallback last.</summary>
    private static IEnumerable<VirtualServiceSpecHttp> Rules(ServiceTraffic s, ServiceRef service, bool headerVariants = true)
    {
        foreach (var route in s.AllRoutes)
        {
            if (headerVariants && s.Canary is { Header: { } header } canary && !canary.Automated)
                yield return Rule(route, $"{route.Name}-canary-header", Match(route, header), [Destination(service, canary.Version, null)]);
            yield return Rule(route, route.Name, Match(route, null), Destinations(s, service).ToList());
        }
    }

    private static VirtualServiceSpecHttp Rule(RouteIntent route, string name, VirtualServiceSpecHttpMatch? match, List<VirtualServiceSpecHttpRoute> destinations) => new()
    {
        Name = name,
        Match = match is null ? null : [match],
        Route = destinations,
        Timeout = Duration.Format(route.Timeout),
        // Istio retries by default (2 attempts on connect failures and more): a route that must not be retried says 0
        Retries = route.Retries is { } r
            ? new VirtualServiceSpecHttpRetries
            {
                Attempts = r.Attempts,
                PerTryTimeout = Duration.Format(r.PerTryTimeout),
                RetryOn = RetryOnText(r),
            }
            : new VirtualServiceSpecHttpRetries { Attempts = 0 },
        Fault = route.Fault is { } f ? Fault(f) : null,
    };

    private static VirtualServiceSpecHttpMatch? Match(RouteIntent route, HeaderMatch? header)
    {
        var catchAll = route.Method is null && route.Path is { Kind: PathMatchKind.Prefix, Value: "/" };
        if (catchAll && header is null) return null;
        return new VirtualServiceSpecHttpMatch
        {
            Uri = catchAll ? null : route.Path.Kind switch
            {
                PathMatchKind.Exact => new VirtualServiceSpecHttpMatchUri { Exact = route.Path.Value },
                PathMatchKind.Prefix => new VirtualServiceSpecHttpMatchUri { Prefix = route.Path.Value },
                _ => new VirtualServiceSpecHttpMatchUri { Regex = route.Path.Value },
            },
            Method = route.Method is { } m ? new VirtualServiceSpecHttpMatchMethod { Exact = m } : null,
            Headers = header is null ? null : new Dictionary<string, VirtualServiceSpecHttpMatchHeaders>
            {
                [header.Name] = new() { Exact = header.Value },
            },
        };
    }

    private static IEnumerable<VirtualServiceSpecHttpRoute> Destinations(ServiceTraffic s, ServiceRef service)
    {
        if (s.Canary is not { Automated: false } canary)
        {
            yield return Destination(service, s.Service.Version, null);
            yield break;
        }
        yield return Destination(service, s.Service.Version, 100 - canary.Weight);
        yield return Destination(service, canary.Version, canary.Weight);
    }

    private static VirtualServiceSpecHttpRoute Destination(ServiceRef service, string subset, int? weight) => new()
    {
        Destination = new VirtualServiceSpecDestination
        {
            Host = service.Host,
            Subset = subset,
            Port = new VirtualServiceSpecPort { Number = service.Port },
        },
        Weight = weight,
    };

    private static VirtualServiceSpecHttpFault Fault(FaultDrill f) => f.Delay is { } delay
        ? new VirtualServiceSpecHttpFault
        {
            Delay = new VirtualServiceSpecHttpFaultDelay
            {
                FixedDelay = Duration.Format(delay),
                Percentage = new VirtualServiceSpecHttpPercentage { Value = f.Percent },
            },
        }
        : new VirtualServiceSpecHttpFault
        {
            Abort = new VirtualServiceSpecHttpFaultAbort
            {
                HttpStatus = f.AbortStatus,
                Percentage = new VirtualServiceSpecHttpPercentage { Value = f.Percent },
            },
        };

    public static string RetryOnText(RetryPolicy r) => string.Join(",", r.On.Select(RetryOn));

    private static string RetryOn(RetryCondition c) => c switch
    {
        RetryCondition.ServerError => "5xx",
        RetryCondition.Reset => "reset",
        _ => "connect-failure",
    };
}
