using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Meshes;
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
    public static List<object> Objects(ServiceTraffic s, TrafficIntent intent, V1Service serviceModel, string ns, StackConfig config)
    {
        var canary = s.Canary ?? throw new ArgumentException($"{s.Name} has no canary", nameof(s));
        var analysis = canary.Analysis ?? throw new ArgumentException($"{s.Name}'s canary is not automated", nameof(s));
        var delivery = MeshCatalog.Create(config.Mesh).Delivery;
        var objects = new List<object>(delivery.MetricTemplates(ns));
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
                Provider = delivery.CanaryProvider,
                TargetRef = new CanarySpecTargetRef { ApiVersion = "apps/v1", Kind = CanarySpecTargetRefKind.Deployment, Name = s.Name },
                ProgressDeadlineSeconds = 600,
                Service = delivery.CanaryService(s, intent, serviceModel, ns, config),
                Analysis = Analysis(analysis, canary.Header, delivery, ns, FlaggerLoadTester.Installed(config) ? s.Service : null),
            },
        });
        return objects;
    }

    /// <summary>The longest timeout of the service's routes: Flagger's single route must not cut any of them short.</summary>
    public static TimeSpan Timeout(ServiceTraffic s) => s.AllRoutes.Max(r => r.Timeout);

    /// <summary>Retries for the single route, or null when some route must not be retried.</summary>
    public static RetryPolicy? Retries(ServiceTraffic s) =>
        s.Routes.All(r => r.Retries is not null) ? RetryPolicy.Within(Timeout(s), s.Routes.Max(r => r.Retries!.Attempts)) : null;

    /// <summary>The service section every mesh shares: the Services Flagger makes, with the metadata the stack's Service would have.</summary>
    public static CanarySpecService CommonService(ServiceTraffic s, V1Service model, Dictionary<string, string>? extraAnnotations = null)
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

    private static CanarySpecAnalysis Analysis(CanaryAnalysis a, HeaderMatch? header, IMeshDelivery delivery, string ns, Topology.AppService? loadTested)
    {
        var interval = Duration.Format(a.Interval);
        var analysis = new CanarySpecAnalysis
        {
            Interval = interval,
            Threshold = a.Threshold,
            Webhooks = loadTested is null ? null : [FlaggerLoadTester.Webhook(loadTested, ns, a.Interval)],
            Metrics = delivery.AnalysisMetrics(interval, ns),
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
}
