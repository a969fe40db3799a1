using System.Globalization;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Traffic;

namespace MeshStack.Flagger;

/// <summary>
/// An automated canary as Flagger objects: a <c>Canary</c> targeting the service's Deployment, whose Service,
/// routes and primary Flagger then makes and owns, and (Linkerd) the <c>MetricTemplate</c>s its analysis reads.
/// Flagger routes a service with one rule, so the per-route intent collapses: one timeout, the longest of the
/// service's routes; retries only when every route may be retried (a service with a non-idempotent route, like
/// order's POST /orders, gets none).
/// </summary>
public static class FlaggerCanary
{
    public const string SuccessRateMetric = "request-success-rate";
    public const string LatencyMetric = "request-duration";
    /// <summary>Linkerd's MetricTemplates (gatewayapi providers have no Linkerd-aware built-in metrics).</summary>
    public const string LinkerdSuccessRateTemplate = "linkerd-success-rate";
    public const string LinkerdLatencyTemplate = "linkerd-latency-p99";

    public static List<object> Objects(ServiceTraffic s, TrafficIntent intent, V1Service serviceModel, string ns, StackConfig config)
    {
        var canary = s.Canary ?? throw new ArgumentException($"{s.Name} has no canary", nameof(s));
        var analysis = canary.Analysis ?? throw new ArgumentException($"{s.Name}'s canary is not automated", nameof(s));
        var objects = new List<object>();
        if (config.Mesh == MeshKind.Linkerd) objects.AddRange(LinkerdTemplates(ns));
        objects.Add(new Canary
        {
            Metadata = new V1ObjectMeta
            {
                Name = s.Name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = config.App.Name, ["app.kubernetes.io/managed-by"] = "pulumi" },
            },
            Spec = new CanarySpec
            {
                Provider = config.Mesh == MeshKind.Istio ? CanarySpecProvider.Istio : CanarySpecProvider.GatewayapiV1,
                TargetRef = new CanarySpecTargetRef { ApiVersion = "apps/v1", Kind = CanarySpecTargetRefKind.Deployment, Name = s.Name },
                ProgressDeadlineSeconds = 600,
                Service = config.Mesh == MeshKind.Istio ? IstioService(s, intent, serviceModel, ns, config.Mtls) : LinkerdService(s, serviceModel, ns),
                Analysis = Analysis(analysis, canary.Header, config.Mesh, ns, FlaggerLoadTester.Installed(config) ? s.Service : null),
            },
        });
        return objects;
    }

    /// <summary>The longest timeout of the service's routes: Flagger's single route must not cut any of them short.</summary>
    public static TimeSpan Timeout(ServiceTraffic s) => s.AllRoutes.Max(r => r.Timeout);

    /// <summary>Retries for the single route, or null when some route must not be retried.</summary>
    public static RetryPolicy? Retries(ServiceTraffic s) =>
        s.Routes.All(r => r.Retries is not null) ? RetryPolicy.Within(Timeout(s), s.Routes.Max(r => r.Retries!.Attempts)) : null;

    private static CanarySpecService Common(ServiceTraffic s, V1Service model, Dictionary<string, string>? extraAnnotations = null)
    {
        var labels = new Dictionary<string, string>(model.Metadata.Labels ?? new Dictionary<string, string>());
        var annotations = new Dictionary<string, string>(model.Metadata.Annotations ?? new Dictionary<string, string>());
        foreach (var (k, v) in extraAnnotations ?? []) annotations[k] = v;
        var noAnnotations = annotations.Count == 0 ? null : annotations;
        return new CanarySpecService
        {
            Name = s.Name,
            Port = s.Service.Port,
            PortName = "http",
            // the pods' named port, and the protocol, exactly as the Service the stack would declare
            TargetPort = new MeshStack.Crds.IntOrString("http"),
            AppProtocol = "http",
            // Flagger makes the three Services (and, for Gateway API, the HTTPRoute from apex) with this metadata
            Apex = new CanarySpecServiceApex { Labels = new(labels), Annotations = noAnnotations is null ? null : new(noAnnotations) },
            Primary = new CanarySpecServicePrimary { Labels = new(labels), Annotations = noAnnotations is null ? null : new(noAnnotations) },
            Canary = new CanarySpecServiceCanary { Labels = new(labels), Annotations = noAnnotations is null ? null : new(noAnnotations) },
        };
    }

    private static CanarySpecService IstioService(ServiceTraffic s, TrafficIntent intent, V1Service model, string ns, MtlsMode mtls)
    {
        var service = Common(s, model);
        var edgeHosts = intent.Edge.Where(e => e.Service == s.Name).Select(e => e.Host).ToList();
        // mesh traffic, and the edge hosts this service serves: one VirtualService, Flagger's, for all of them
        service.Gateways = edgeHosts.Count > 0 ? ["mesh", $"{ns}/{IstioTrafficRenderer.EdgeGateway}"] : ["mesh"];
        service.Hosts = [s.Name, .. edgeHosts];
        service.Timeout = Duration.Format(Timeout(s));
        // Istio retries by default: a service with a route that must not be retried says 0
        service.Retries = Retries(s) is { } r
            ? new CanarySpecServiceRetries { Attempts = r.Attempts, PerTryTimeout = Duration.Format(r.PerTryTimeout), RetryOn = IstioTrafficRenderer.RetryOnText(r) }
            : new CanarySpecServiceRetries { Attempts = 0 };
        service.TrafficPolicy = IstioTrafficRenderer.FlaggerTrafficPolicy(s, mtls == MtlsMode.Strict);
        return service;
    }

    private static CanarySpecService LinkerdService(ServiceTraffic s, V1Service model, string ns)
    {
        // route-level retry annotations: Flagger copies apex metadata onto its HTTPRoute, where Linkerd reads them
        var retries = Retries(s) is { } r ? LinkerdTrafficRenderer.RetryAnnotations(r) : null;
        var service = Common(s, model, retries);
        service.GatewayRefs = [new CanarySpecServiceGatewayRefs { Name = s.Name, Namespace = ns, Group = "core", Kind = "Service", Port = s.Service.Port }];
        // Gateway API's rule timeout, which Linkerd honours
        service.Timeout = Duration.Format(Timeout(s));
        return service;
    }

    private static CanarySpecAnalysis Analysis(CanaryAnalysis a, HeaderMatch? header, MeshKind mesh, string ns, Topology.AppService? loadTested)
    {
        var interval = Duration.Format(a.Interval);
        var analysis = new CanarySpecAnalysis
        {
            Interval = interval,
            Threshold = a.Threshold,
            Webhooks = loadTested is null ? null : [FlaggerLoadTester.Webhook(loadTested, ns, a.Interval)],
            Metrics = mesh == MeshKind.Istio
                ?
                [
                    // Flagger's built-in Istio checks over istio_requests_total / istio_request_duration_milliseconds_bucket
                    new CanarySpecAnalysisMetrics { Name = SuccessRateMetric, Interval = interval, ThresholdRange = new() { Min = CanaryAnalysis.MinSuccessRatePercent } },
                    new CanarySpecAnalysisMetrics { Name = LatencyMetric, Interval = interval, ThresholdRange = new() { Max = CanaryAnalysis.MaxLatency.TotalMilliseconds } },
                ]
                :
                [
                    new CanarySpecAnalysisMetrics
                    {
                        Name = LinkerdSuccessRateTemplate,
                        Interval = interval,
                        TemplateRef = new CanarySpecAnalysisMetricsTemplateRef { Name = LinkerdSuccessRateTemplate, Namespace = ns },
                        ThresholdRange = new() { Min = CanaryAnalysis.MinSuccessRatePercent },
                    },
                    new CanarySpecAnalysisMetrics
                    {
                        Name = LinkerdLatencyTemplate,
                        Interval = interval,
                        TemplateRef = new CanarySpecAnalysisMetricsTemplateRef { Name = LinkerdLatencyTemplate, Namespace = ns },
                        ThresholdRange = new() { Max = CanaryAnalysis.MaxLatency.TotalMilliseconds },
                    },
                ],
        };
        if (header is null)
        {
            analysis.MaxWeight = a.MaxWeight;
            analysis.StepWeight = a.StepWeight;
        }
        else
        {
            // A/B test: Flagger sends requests matching the header to the canary and keeps everything else on the primary
            analysis.Iterations = a.Iterations;
            analysis.Match = [new CanarySpecAnalysisMatch { Headers = new() { [header.Name] = new CanarySpecAnalysisMatchHeaders { Exact = header.Value } } }];
        }
        return analysis;
    }

    /// <summary>
    /// Linkerd's golden signals of the canary's pods as the inbound proxies count them, from viz's Prometheus:
    /// the share of responses not classified as failures, and the p99 latency in milliseconds.
    /// <c>{{ target }}</c> is the analysed Deployment (the canary), never the primary. Only requests from meshed callers
    /// count (<c>tls="true"</c>): the kubelet's probes reach the proxy in plain text (<c>tls="no_identity"</c>) and would
    /// otherwise make an idle canary look healthy. Below <see cref="CanaryAnalysis.MinRequestsPerSecond"/> the query
    /// returns nothing, which Flagger counts as a failed check ("no values found"), never as a pass.
    /// </summary>
    public static IEnumerable<MetricTemplate> LinkerdTemplates(string ns)
    {
        var provider = new MetricTemplateSpecProvider { Type = MetricTemplateSpecProviderType.Prometheus, Address = FlaggerRelease.MetricsServer(MeshKind.Linkerd) };
        const string selector = "namespace=\"{{ namespace }}\", deployment=~\"{{ target }}\", direction=\"inbound\", tls=\"true\"";
        var enoughTraffic = string.Create(CultureInfo.InvariantCulture,
            $" and sum(rate(response_total{{{selector}}}[{{{{ interval }}}}])) >= {CanaryAnalysis.MinRequestsPerSecond}");
        yield return new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = LinkerdSuccessRateTemplate, NamespaceProperty = ns },
            Spec = new MetricTemplateSpec
            {
                Provider = provider,
                Query = string.Create(CultureInfo.InvariantCulture,
                    $"(sum(rate(response_total{{{selector}, classification!=\"failure\"}}[{{{{ interval }}}}])) / sum(rate(response_total{{{selector}}}[{{{{ interval }}}}])) * 100){enoughTraffic}"),
            },
        };
        yield return new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = LinkerdLatencyTemplate, NamespaceProperty = ns },
            Spec = new MetricTemplateSpec
            {
                Provider = new MetricTemplateSpecProvider { Type = provider.Type, Address = provider.Address },
                Query = string.Create(CultureInfo.InvariantCulture,
                    $"histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{{{selector}}}[{{{{ interval }}}}])) by (le)){enoughTraffic}"),
            },
        };
    }
}
