using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Flagger;
using MeshStack.Graph;
using MeshStack.Synthesis;
using MeshStack.Traffic;

namespace MeshStack.Linkerd;

/// <summary>
/// Flagger on Linkerd: <c>meshProvider: gatewayapi:v1</c> (Flagger's <c>linkerd</c> provider means SMI TrafficSplit,
/// which needs the deprecated linkerd-smi), one HTTPRoute attached to the Service; the analysis reads linkerd-viz's
/// Prometheus through MetricTemplates (gatewayapi providers have no Linkerd-aware built-in metrics), and the chart's
/// AuthorizationPolicy lets Flagger's identity query that Prometheus, which viz guards with a Server. The templates
/// count only meshed callers, so a load tester drives the canary.
/// </summary>
public sealed class LinkerdDelivery : IMeshDelivery
{
    public const string SuccessRateTemplate = "linkerd-success-rate";
    public const string LatencyTemplate = "linkerd-latency-p99";

    private static readonly string PrometheusUrl =
        string.Create(CultureInfo.InvariantCulture, $"http://{LinkerdObservability.PrometheusService}.{LinkerdObservability.VizNamespace}:{LinkerdObservability.PrometheusPort}");

    public string FlaggerMeshProvider => "gatewayapi:v1";

    public CanarySpecProvider CanaryProvider => CanarySpecProvider.GatewayapiV1;

    public string MetricsServer => PrometheusUrl;

    public bool NeedsLoadTester => true;

    /// <summary>The proxy injected into that one pod (linkerd.io/inject on the pod template).</summary>
    public void AddLoadTesterValues(JsonObject values) => values["podAnnotations"] = new JsonObject { ["linkerd.io/inject"] = "enabled" };

    /// <summary>The chart's AuthorizationPolicy goes into linkerd-viz and targets viz's prometheus-admin Server.</summary>
    public void AddReleaseValues(JsonObject values) =>
        values["linkerdAuthPolicy"] = new JsonObject { ["create"] = true, ["namespace"] = LinkerdObservability.VizNamespace };

    public IEnumerable<Resource> ReleaseDependsOn(ClusterBuild build)
    {
        var name = build.Scope.Name(LinkerdObservability.VizRelease);
        yield return build.Scope.Graph.Contains(name)
            ? build.Scope.Graph[name]
            : throw new InvalidOperationException($"Flagger with Linkerd reads linkerd-viz's Prometheus, but cluster '{build.Scope.Cluster.Name}' has no {name} release");
    }

    public CanarySpecService CanaryService(ServiceTraffic s, TrafficIntent intent, V1Service model, string ns, StackConfig config)
    {
        // route-level retry annotations: Flagger copies apex metadata onto its HTTPRoute, where Linkerd reads them
        var retries = FlaggerCanary.Retries(s) is { } r ? LinkerdTrafficRenderer.RetryAnnotations(r) : null;
        var service = FlaggerCanary.CommonService(s, model, retries);
        service.GatewayRefs = [new CanarySpecServiceGatewayRefs { Name = s.Name, Namespace = ns, Group = "core", Kind = "Service", Port = s.Service.Port }];
        // Gateway API's rule timeout, which Linkerd honours
        service.Timeout = Duration.Format(FlaggerCanary.Timeout(s));
        return service;
    }

    public List<CanarySpecAnalysisMetrics> AnalysisMetrics(string interval, string ns) =>
    [
        new CanarySpecAnalysisMetrics
        {
            Name = SuccessRateTemplate,
            Interval = interval,
            TemplateRef = new CanarySpecAnalysisMetricsTemplateRef { Name = SuccessRateTemplate, Namespace = ns },
            ThresholdRange = new() { Min = CanaryAnalysis.MinSuccessRatePercent },
        },
        new CanarySpecAnalysisMetrics
        {
            Name = LatencyTemplate,
            Interval = interval,
            TemplateRef = new CanarySpecAnalysisMetricsTemplateRef { Name = LatencyTemplate, Namespace = ns },
            ThresholdRange = new() { Max = CanaryAnalysis.MaxLatency.TotalMilliseconds },
        },
    ];

    public IEnumerable<object> MetricTemplates(string ns) => Templates(ns);

    /// <summary>
    /// Linkerd's golden signals of the canary's pods as the inbound proxies count them, from viz's Prometheus:
    /// the share of responses not classified as failures, and the p99 latency in milliseconds.
    /// <c>{{ target }}</c> is the analysed Deployment (the canary), never the primary. Only requests from meshed callers
    /// count (<c>tls="true"</c>): the kubelet's probes reach the proxy in plain text (<c>tls="no_identity"</c>) and would
    /// otherwise make an idle canary look healthy. Below <see cref="CanaryAnalysis.MinRequestsPerSecond"/> the query
    /// returns nothing, which Flagger counts as a failed check ("no values found"), never as a pass.
    /// </summary>
    public static IEnumerable<MetricTemplate> Templates(string ns)
    {
        var provider = new MetricTemplateSpecProvider { Type = MetricTemplateSpecProviderType.Prometheus, Address = PrometheusUrl };
        const string selector = "namespace=\"{{ namespace }}\", deployment=~\"{{ target }}\", direction=\"inbound\", tls=\"true\"";
        var enoughTraffic = string.Create(CultureInfo.InvariantCulture,
            $" and sum(rate(response_total{{{selector}}}[{{{{ interval }}}}])) >= {CanaryAnalysis.MinRequestsPerSecond}");
        yield return new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = SuccessRateTemplate, NamespaceProperty = ns },
            Spec = new MetricTemplateSpec
            {
                Provider = provider,
                Query = string.Create(CultureInfo.InvariantCulture,
                    $"(sum(rate(response_total{{{selector}, classification!=\"failure\"}}[{{{{ interval }}}}])) / sum(rate(response_total{{{selector}}}[{{{{ interval }}}}])) * 100){enoughTraffic}"),
            },
        };
        yield return new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = LatencyTemplate, NamespaceProperty = ns },
            Spec = new MetricTemplateSpec
            {
                Provider = new MetricTemplateSpecProvider { Type = provider.Type, Address = provider.Address },
                Query = string.Create(CultureInfo.InvariantCulture,
                    $"histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{{{selector}}}[{{{{ interval }}}}])) by (le)){enoughTraffic}"),
            },
        };
    }
}
