using System.Globalization;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Flagger;
using MeshStack.Tracing;
using MeshStack.Traffic;

namespace MeshStack.Istio;

/// <summary>
/// Flagger on Istio: its Istio router (<c>meshProvider: istio</c>) writes one VirtualService for mesh traffic and the
/// service's edge hosts, and its built-in Istio checks read the Prometheus of kube-prometheus-stack, which scrapes every
/// sidecar. Every caller is counted, so no load tester is needed.
/// </summary>
public sealed class IstioDelivery : IMeshDelivery
{
    public const string SuccessRateMetric = "request-success-rate";
    public const string LatencyMetric = "request-duration";

    public string FlaggerMeshProvider => "istio";

    public CanarySpecProvider CanaryProvider => CanarySpecProvider.Istio;

    public string MetricsServer =>
        string.Create(CultureInfo.InvariantCulture, $"http://{IstioObservability.PrometheusService}.{CollectorEndpoint.Namespace}:{IstioObservability.PrometheusPort}");

    public bool NeedsLoadTester => false;

    public CanarySpecService CanaryService(ServiceTraffic s, TrafficIntent intent, V1Service model, string ns, StackConfig config)
    {
        var service = FlaggerCanary.CommonService(s, model);
        var edgeHosts = intent.Edge.Where(e => e.Service == s.Name).Select(e => e.Host).ToList();
        // mesh traffic, and the edge hosts this service serves: one VirtualService, Flagger's, for all of them
        service.Gateways = edgeHosts.Count > 0 ? ["mesh", $"{ns}/{IstioTrafficRenderer.EdgeGateway}"] : ["mesh"];
        service.Hosts = [s.Name, .. edgeHosts];
        service.Timeout = Duration.Format(FlaggerCanary.Timeout(s));
        // Istio retries by default: a service with a route that must not be retried says 0
        service.Retries = FlaggerCanary.Retries(s) is { } r
            ? new CanarySpecServiceRetries { Attempts = r.Attempts, PerTryTimeout = Duration.Format(r.PerTryTimeout), RetryOn = IstioTrafficRenderer.RetryOnText(r) }
            : new CanarySpecServiceRetries { Attempts = 0 };
        service.TrafficPolicy = IstioTrafficRenderer.FlaggerTrafficPolicy(s, config.Mtls == MtlsMode.Strict);
        return service;
    }

    /// <summary>Flagger's built-in Istio checks over istio_requests_total / istio_request_duration_milliseconds_bucket.</summary>
    public List<CanarySpecAnalysisMetrics> AnalysisMetrics(string interval, string ns) =>
    [
        new CanarySpecAnalysisMetrics { Name = SuccessRateMetric, Interval = interval, ThresholdRange = new() { Min = CanaryAnalysis.MinSuccessRatePercent } },
        new CanarySpecAnalysisMetrics { Name = LatencyMetric, Interval = interval, ThresholdRange = new() { Max = CanaryAnalysis.MaxLatency.TotalMilliseconds } },
    ];
}
