using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using FlaggerApi = MeshStack.Crds.Flagger.V1beta1;
using GatewayApi = MeshStack.Crds.Gateway.Networking.K8s.V1;
using IstioNet = MeshStack.Crds.Networking.Istio.V1;
using IstioSec = MeshStack.Crds.Security.Istio.V1;
using IstioTel = MeshStack.Crds.Telemetry.Istio.V1;
using LinkerdProfiles = MeshStack.Crds.Linkerd.V1alpha2;
using LinkerdPolicy = MeshStack.Crds.Policy.Linkerd.V1alpha1;
using LinkerdRoutes = MeshStack.Crds.Policy.Linkerd.V1beta3;
using PromOperator = MeshStack.Crds.Monitoring.Coreos.V1;

namespace MeshStack.Crds.Tests;

/// <summary>
/// One typed object, built in code the way the infra builds them, for every kind the project must have.
/// The schema tests check each against its upstream CRD.
/// </summary>
public static class Examples
{
    private static V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = "shop" };

    public static IReadOnlyDictionary<string, Func<IKubernetesObject<V1ObjectMeta>>> All { get; } =
        new Dictionary<string, Func<IKubernetesObject<V1ObjectMeta>>>
        {
            ["networking.istio.io/v1 VirtualService"] = () => new IstioNet.VirtualService
            {
                Metadata = Meta("checkout"),
                Spec = new()
                {
                    Hosts = ["checkout"],
                    Gateways = ["mesh", "shop/public"],
                    Http =
                    [
                        new()
                        {
                            Name = "canary",
                            Match = [new() { Headers = new() { ["x-canary"] = new() { Exact = "1" } } }],
                            Route = [new() { Destination = new() { Host = "checkout", Subset = "v2" } }],
                        },
                        new()
                        {
                            Name = "primary",
                            Route =
                            [
                                new() { Destination = new() { Host = "checkout", Subset = "v1", Port = new() { Number = 8080 } }, Weight = 90 },
                                new() { Destination = new() { Host = "checkout", Subset = "v2", Port = new() { Number = 8080 } }, Weight = 10 },
                            ],
                            Retries = new() { Attempts = 3, PerTryTimeout = "2s", RetryOn = "5xx,reset" },
                            Timeout = "10s",
                            Fault = new() { Delay = new() { FixedDelay = "100ms", Percentage = new() { Value = 0.5 } } },
                        },
                    ],
                },
            },
            ["networking.istio.io/v1 DestinationRule"] = () => new IstioNet.DestinationRule
            {
                Metadata = Meta("checkout"),
                Spec = new()
                {
                    Host = "checkout.shop.svc.cluster.local",
                    TrafficPolicy = new()
                    {
                        Tls = new() { Mode = IstioNet.DestinationRuleSpecTrafficPolicyTlsMode.IstioMutual },
                        LoadBalancer = new() { Simple = IstioNet.DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LeastRequest },
                        ConnectionPool = new() { Tcp = new() { MaxConnections = 100, ConnectTimeout = "3s" }, Http = new() { Http2MaxRequests = 1000 } },
                        OutlierDetection = new() { Consecutive5xxErrors = 5, Interval = "10s", BaseEjectionTime = "30s" },
                    },
                    Subsets =
                    [
                        new() { Name = "v1", Labels = new() { ["version"] = "v1" } },
                        new()
                        {
                            Name = "v2",
                            Labels = new() { ["version"] = "v2" },
                            TrafficPolicy = new() { LoadBalancer = new() { Simple = IstioNet.DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RoundRobin } },
                        },
                    ],
                },
            },
            ["networking.istio.io/v1 Gateway"] = () => new IstioNet.Gateway
            {
                Metadata = Meta("public"),
                Spec = new()
                {
                    Selector = new() { ["istio"] = "ingressgateway" },
                    Servers =
                    [
                        new()
                        {
                            Port = new() { Number = 443, Name = "https", Protocol = "HTTPS" },
                            Hosts = ["shop.example.com"],
                            Tls = new() { Mode = IstioNet.GatewaySpecServersTlsMode.Simple, CredentialName = "shop-cert" },
                        },
                    ],
                },
            },
            ["networking.istio.io/v1 ServiceEntry"] = () => new IstioNet.ServiceEntry
            {
                Metadata = Meta("payments-api"),
                Spec = new()
                {
                    Hosts = ["api.payments.example"],
                    Location = IstioNet.ServiceEntrySpecLocation.MeshExternal,
                    Resolution = IstioNet.ServiceEntrySpecResolution.Dns,
                    Ports = [new() { Number = 443, Name = "tls", Protocol = "TLS" }],
                },
            },
            ["networking.istio.io/v1 Sidecar"] = () => new IstioNet.Sidecar
            {
                Metadata = Meta("default"),
                Spec = new()
                {
                    Egress = [new() { Hosts = ["./*", "istio-system/*"] }],
                    OutboundTrafficPolicy = new() { Mode = IstioNet.SidecarSpecOutboundTrafficPolicyMode.RegistryOnly },
                },
            },
            ["security.istio.io/v1 PeerAuthentication"] = () => new IstioSec.PeerAuthentication
            {
                Metadata = Meta("default"),
                Spec = new()
                {
                    Mtls = new() { Mode = IstioSec.PeerAuthenticationSpecMode.Strict },
                    PortLevelMtls = new() { ["9090"] = new() { Mode = IstioSec.PeerAuthenticationSpecMode.Permissive } },
                    Selector = new() { MatchLabels = new() { ["app"] = "checkout" } },
                },
            },
            ["security.istio.io/v1 AuthorizationPolicy"] = () => new IstioSec.AuthorizationPolicy
            {
                Metadata = Meta("checkout-allow-frontend"),
                Spec = new()
                {
                    Action = IstioSec.AuthorizationPolicySpecAction.Allow,
                    Selector = new() { MatchLabels = new() { ["app"] = "checkout" } },
                    Rules =
                    [
                        new()
                        {
                            From = [new() { Source = new() { Principals = ["cluster.local/ns/shop/sa/frontend"] } }],
                            To = [new() { Operation = new() { Methods = ["GET", "POST"], Paths = ["/api/*"] } }],
                        },
                    ],
                },
            },
            ["security.istio.io/v1 RequestAuthentication"] = () => new IstioSec.RequestAuthentication
            {
                Metadata = Meta("jwt"),
                Spec = new()
                {
                    Selector = new() { MatchLabels = new() { ["app"] = "gateway" } },
                    JwtRules = [new() { Issuer = "https://auth.example.com", JwksUri = "https://auth.example.com/.well-known/jwks.json", Audiences = ["shop"] }],
                },
            },
            ["telemetry.istio.io/v1 Telemetry"] = () => new IstioTel.Telemetry
            {
                Metadata = Meta("tracing"),
                Spec = new()
                {
                    Tracing = [new() { Providers = [new() { Name = "otel" }], RandomSamplingPercentage = 10.0 }],
                    AccessLogging = [new() { Providers = [new() { Name = "envoy" }], Filter = new() { Expression = "response.code >= 500" } }],
                    Metrics =
                    [
                        new()
                        {
                            Providers = [new() { Name = "prometheus" }],
                            Overrides = [new() { Match = new() { Metric = IstioTel.TelemetrySpecMetricsOverridesMatchMetric.RequestCount, Mode = IstioTel.TelemetrySpecMode.ClientAndServer }, Disabled = false }],
                        },
                    ],
                },
            },
            ["policy.linkerd.io/v1beta3 Server"] = () => new LinkerdRoutes.Server
            {
                Metadata = Meta("checkout-http"),
                Spec = new()
                {
                    PodSelector = new() { MatchLabels = new JsonObject { ["app"] = "checkout" } },
                    Port = "http",
                    ProxyProtocol = "HTTP/2",
                },
            },
            ["policy.linkerd.io/v1beta3 HTTPRoute"] = () => new LinkerdRoutes.HTTPRoute
            {
                Metadata = Meta("checkout-api"),
                Spec = new()
                {
                    ParentRefs = [new() { Name = "checkout-http", Kind = "Server", Group = "policy.linkerd.io" }],
                    Rules =
                    [
                        new()
                        {
                            Matches = [new() { Path = new() { Type = LinkerdRoutes.HTTPRouteSpecRulesMatchesPathType.PathPrefix, Value = "/api" } }],
                            Timeouts = new() { Request = "10s" },
                        },
                    ],
                },
            },
            ["policy.linkerd.io/v1alpha1 AuthorizationPolicy"] = () => new LinkerdPolicy.AuthorizationPolicy
            {
                Metadata = Meta("checkout-api"),
                Spec = new()
                {
                    TargetRef = new() { Group = "policy.linkerd.io", Kind = "HTTPRoute", Name = "checkout-api" },
                    RequiredAuthenticationRefs = [new() { Group = "policy.linkerd.io", Kind = "MeshTLSAuthentication", Name = "frontend" }],
                },
            },
            ["policy.linkerd.io/v1alpha1 MeshTLSAuthentication"] = () => new LinkerdPolicy.MeshTLSAuthentication
            {
                Metadata = Meta("frontend"),
                Spec = new() { Identities = ["frontend.shop.serviceaccount.identity.linkerd.cluster.local"] },
            },
            ["policy.linkerd.io/v1alpha1 NetworkAuthentication"] = () => new LinkerdPolicy.NetworkAuthentication
            {
                Metadata = Meta("cluster-network"),
                Spec = new() { Networks = [new() { Cidr = "10.0.0.0/8", Except = ["10.0.99.0/24"] }] },
            },
            ["policy.linkerd.io/v1alpha1 HTTPLocalRateLimitPolicy"] = () => new LinkerdPolicy.HTTPLocalRateLimitPolicy
            {
                Metadata = Meta("checkout-rate"),
                Spec = new()
                {
                    TargetRef = new() { Group = "policy.linkerd.io", Kind = "Server", Name = "checkout-http" },
                    Total = new() { RequestsPerSecond = 200 },
                    Identity = new() { RequestsPerSecond = 20 },
                    Overrides = [new() { RequestsPerSecond = 50, ClientRefs = [new() { Kind = "ServiceAccount", Name = "frontend" }] }],
                },
            },
            ["linkerd.io/v1alpha2 ServiceProfile"] = () => new LinkerdProfiles.ServiceProfile
            {
                Metadata = Meta("checkout.shop.svc.cluster.local"),
                Spec = new()
                {
                    Routes =
                    [
                        new()
                        {
                            Name = "POST /api/orders",
                            Condition = new() { Method = "POST", PathRegex = "/api/orders" },
                            IsRetryable = false,
                            Timeout = "5s",
                            ResponseClasses = [new() { Condition = new() { Status = new() { Min = 500, Max = 599 } }, IsFailure = true }],
                        },
                    ],
                    RetryBudget = new() { RetryRatio = 0.2, MinRetriesPerSecond = 10, Ttl = "10s" },
                },
            },
            ["gateway.networking.k8s.io/v1 Gateway"] = () => new GatewayApi.Gateway
            {
                Metadata = Meta("public"),
                Spec = new()
                {
                    GatewayClassName = "istio",
                    Listeners =
                    [
                        new()
                        {
                            Name = "https",
                            Port = 443,
                            Protocol = "HTTPS",
                            Hostname = "shop.example.com",
                            Tls = new() { Mode = GatewayApi.GatewaySpecListenersTlsMode.Terminate, CertificateRefs = [new() { Name = "shop-cert" }] },
                            AllowedRoutes = new() { Namespaces = new() { From = GatewayApi.GatewaySpecListenersAllowedRoutesNamespacesFrom.Same } },
                        },
                    ],
                },
            },
            ["gateway.networking.k8s.io/v1 HTTPRoute"] = () => new GatewayApi.HTTPRoute
            {
                Metadata = Meta("storefront"),
                Spec = new()
                {
                    ParentRefs = [new() { Name = "public", SectionName = "https" }],
                    Hostnames = ["shop.example.com"],
                    Rules =
                    [
                        new()
                        {
                            Matches = [new() { Path = new() { Type = GatewayApi.HTTPRouteSpecRulesMatchesPathType.PathPrefix, Value = "/" } }],
                            Filters =
                            [
                                new()
                                {
                                    Type = GatewayApi.HTTPRouteSpecRulesFiltersType.RequestHeaderModifier,
                                    RequestHeaderModifier = new() { Set = [new() { Name = "x-shop", Value = "1" }] },
                                },
                            ],
                            BackendRefs = [new() { Name = "storefront", Port = 8080, Weight = 90 }, new() { Name = "storefront-canary", Port = 8080, Weight = 10 }],
                            Timeouts = new() { Request = "10s" },
                        },
                    ],
                },
            },
            ["gateway.networking.k8s.io/v1 GRPCRoute"] = () => new GatewayApi.GRPCRoute
            {
                Metadata = Meta("inventory"),
                Spec = new()
                {
                    ParentRefs = [new() { Name = "public" }],
                    Rules =
                    [
                        new()
                        {
                            Matches = [new() { Method = new() { Service = "shop.Inventory", Method = "Reserve", Type = GatewayApi.GRPCRouteSpecRulesMatchesType.Exact } }],
                            BackendRefs = [new() { Name = "inventory", Port = 9090 }],
                        },
                    ],
                },
            },
            ["gateway.networking.k8s.io/v1 ReferenceGrant"] = () => new GatewayApi.ReferenceGrant
            {
                Metadata = Meta("allow-gateway"),
                Spec = new()
                {
                    From = [new() { Group = "gateway.networking.k8s.io", Kind = "HTTPRoute", Namespace = "edge" }],
                    To = [new() { Group = "", Kind = "Service", Name = "storefront" }],
                },
            },
            ["flagger.app/v1beta1 Canary"] = () => new FlaggerApi.Canary
            {
                Metadata = Meta("checkout"),
                Spec = new()
                {
                    Provider = FlaggerApi.CanarySpecProvider.Istio,
                    TargetRef = new() { ApiVersion = "apps/v1", Kind = FlaggerApi.CanarySpecTargetRefKind.Deployment, Name = "checkout" },
                    Service = new() { Port = 8080, TargetPort = "http", Gateways = ["mesh"], Hosts = ["checkout"] },
                    Analysis = new()
                    {
                        Interval = "1m",
                        Threshold = 5,
                        MaxWeight = 50,
                        StepWeight = 10,
                        Metrics =
                        [
                            new() { Name = "request-success-rate", ThresholdRange = new() { Min = 99 }, Interval = "1m" },
                            new() { Name = "latency", TemplateRef = new() { Name = "latency", Namespace = "flagger" }, ThresholdRange = new() { Max = 500 } },
                        ],
                        Webhooks = [new() { Name = "load-test", Type = FlaggerApi.CanarySpecAnalysisWebhooksType.Rollout, Url = "http://loadtester.flagger/", Timeout = "5s" }],
                    },
                },
            },
            ["flagger.app/v1beta1 MetricTemplate"] = () => new FlaggerApi.MetricTemplate
            {
                Metadata = Meta("latency"),
                Spec = new()
                {
                    Provider = new() { Type = FlaggerApi.MetricTemplateSpecProviderType.Prometheus, Address = "http://prometheus.monitoring:9090" },
                    Query = "histogram_quantile(0.99, sum(rate(request_duration_seconds_bucket[{{ interval }}])) by (le))",
                },
            },
            ["monitoring.coreos.com/v1 ServiceMonitor"] = () => new PromOperator.ServiceMonitor
            {
                Metadata = Meta("checkout"),
                Spec = new()
                {
                    Selector = new() { MatchLabels = new() { ["app"] = "checkout" } },
                    Endpoints = [new() { Port = "metrics", Path = "/metrics", Interval = "30s", Scheme = PromOperator.ServiceMonitorSpecEndpointsScheme.http }],
                },
            },
            ["monitoring.coreos.com/v1 PodMonitor"] = () => new PromOperator.PodMonitor
            {
                Metadata = Meta("envoy-stats"),
                Spec = new()
                {
                    Selector = new() { MatchExpressions = [new() { Key = "security.istio.io/tlsMode", Operator = "Exists" }] },
                    PodMetricsEndpoints = [new() { Port = "http-envoy-prom", Path = "/stats/prometheus", Interval = "15s" }],
                },
            },
            ["monitoring.coreos.com/v1 PrometheusRule"] = () => new PromOperator.PrometheusRule
            {
                Metadata = Meta("checkout-alerts"),
                Spec = new()
                {
                    Groups =
                    [
                        new()
                        {
                            Name = "checkout",
                            Rules =
                            [
                                new()
                                {
                                    Alert = "CheckoutErrorRate",
                                    Expr = "sum(rate(istio_requests_total{destination_app=\"checkout\",response_code=~\"5..\"}[5m])) > 1",
                                    For = "5m",
                                    Labels = new() { ["severity"] = "page" },
                                },
                            ],
                        },
                    ],
                },
            },
        };
}
