using System.Globalization;
using System.Text.Json.Nodes;
using MeshStack.Config;
using MeshStack.Crds.Monitoring.Coreos.V1;
using MeshStack.Crds.Telemetry.Istio.V1;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Observability;
using MeshStack.Synthesis;
using MeshStack.Tracing;

namespace MeshStack.Istio;

/// <summary>
/// Istio's tracing and metrics: an OpenTelemetry extension provider in istiod's mesh config, activated
/// mesh-wide by a Telemetry resource; kube-prometheus-stack (Prometheus Operator) scraping Envoy and istiod,
/// with the golden signals as a PrometheusRule; Kiali on top. The observability namespace stays outside the
/// mesh: Envoy's stats port is not captured by the sidecar, so Prometheus scrapes it in plaintext under STRICT mTLS.
/// </summary>
public sealed class IstioObservability : IMeshObservability
{
    public const string TracingProvider = "otel-tracing";
    public const string TelemetryName = "mesh-default";
    public const string PrometheusRelease = "kube-prometheus-stack";
    /// <summary>kube-prometheus-stack names the Prometheus Service <c>&lt;fullname&gt;-prometheus</c>.</summary>
    public const string PrometheusFullname = "prometheus";
    public const string PrometheusService = PrometheusFullname + "-prometheus";
    public const int PrometheusPort = 9090;
    public const string KialiRelease = "kiali";
    public const int KialiPort = 20001;

    public bool MeshesCollector => false;

    public void Configure(ClusterPlan plan) => plan.PatchRelease("istiod", new JsonObject
    {
        ["meshConfig"] = new JsonObject
        {
            ["enableTracing"] = true,
            // no sampling here: the Telemetry resource owns it
            ["extensionProviders"] = new JsonArray(new JsonObject
            {
                ["name"] = TracingProvider,
                ["opentelemetry"] = new JsonObject { ["service"] = CollectorEndpoint.Host, ["port"] = CollectorEndpoint.GrpcPort },
            }),
        },
    });

    public void Build(ClusterBuild build, ObservabilityStack stack)
    {
        var scope = build.Scope;
        // in the root namespace, a Telemetry applies to the whole mesh
        scope.CustomResources("telemetry-tracing", [Telemetry(scope.Config)], build.Install.Crds, build.Install.ControlPlane);

        var prometheus = scope.HelmRelease(PrometheusRelease, PrometheusArgs(scope.Config), [stack.Namespace]);
        scope.CustomResources("prometheus-monitoring", [EnvoyPodMonitor(), IstiodServiceMonitor(), CollectorPodMonitor(), GoldenSignals()], prometheus);
        scope.HelmRelease(KialiRelease, KialiArgs(scope.Config), [stack.Namespace, prometheus, stack.Jaeger]);
    }

    public static Telemetry Telemetry(StackConfig config) => new()
    {
        Metadata = new() { Name = TelemetryName, NamespaceProperty = IstioMesh.SystemNamespace },
        Spec = new TelemetrySpec
        {
            Tracing =
            [
                new TelemetrySpecTracing
                {
                    Providers = [new TelemetrySpecProviders { Name = TracingProvider }],
                    RandomSamplingPercentage = config.Tracing.SamplingPercent,
                    CustomTags = new Dictionary<string, TelemetrySpecTracingCustomTags>
                    {
                        ["environment"] = new() { Literal = new TelemetrySpecTracingCustomTagsLiteral { Value = config.Stack } },
                    },
                },
            ],
        },
    };

    private static HelmReleaseArgs PrometheusArgs(StackConfig config) => new()
    {
        Name = PrometheusRelease,
        Chart = "kube-prometheus-stack",
        Version = config.Charts.KubePrometheusStack.Version,
        Namespace = CollectorEndpoint.Namespace,
        RepositoryOpts = new HelmRepositoryOpts(config.Charts.KubePrometheusStack.Repository),
        Timeout = 600,
        Values = new JsonObject
        {
            ["fullnameOverride"] = PrometheusFullname,
            ["crds"] = new JsonObject { ["enabled"] = true },
            // mesh metrics only: Kiali is the console, and cluster monitoring is not this stack's job
            ["grafana"] = new JsonObject { ["enabled"] = false },
            ["alertmanager"] = new JsonObject { ["enabled"] = false },
            ["nodeExporter"] = new JsonObject { ["enabled"] = false },
            ["kubeStateMetrics"] = new JsonObject { ["enabled"] = false },
            ["defaultRules"] = new JsonObject { ["create"] = false },
            ["prometheus"] = new JsonObject
            {
                ["prometheusSpec"] = new JsonObject
                {
                    // pick up every PodMonitor/ServiceMonitor/PrometheusRule, not only those labelled for this release
                    ["ruleSelectorNilUsesHelmValues"] = false,
                    ["serviceMonitorSelectorNilUsesHelmValues"] = false,
                    ["podMonitorSelectorNilUsesHelmValues"] = false,
                    ["retention"] = "24h",
                },
            },
        },
    };

    private static string Namespace => CollectorEndpoint.Namespace;

    /// <summary>Every sidecar's Envoy stats (15090, named http-envoy-prom): not intercepted, so plaintext works under STRICT.</summary>
    public static PodMonitor EnvoyPodMonitor() => new()
    {
        Metadata = new() { Name = "envoy-stats", NamespaceProperty = Namespace },
        Spec = new PodMonitorSpec
        {
            NamespaceSelector = new PodMonitorSpecNamespaceSelector { Any = true },
            Selector = new PodMonitorSpecSelector
            {
                MatchExpressions = [new PodMonitorSpecSelectorMatchExpressions { Key = "security.istio.io/tlsMode", Operator = "Exists" }],
            },
            PodMetricsEndpoints = [new PodMonitorSpecPodMetricsEndpoints { Port = "http-envoy-prom", Path = "/stats/prometheus", Interval = "15s" }],
        },
    };

    /// <summary>
    /// The apps' metrics, which the collector's Prometheus exporter serves on its pods. The observability namespace is
    /// outside the mesh, so Prometheus scrapes the port in plain text.
    /// </summary>
    public static PodMonitor CollectorPodMonitor() => new()
    {
        Metadata = new() { Name = "otel-collector-app-metrics", NamespaceProperty = Namespace },
        Spec = new PodMonitorSpec
        {
            NamespaceSelector = new PodMonitorSpecNamespaceSelector { MatchNames = [CollectorEndpoint.Namespace] },
            Selector = new PodMonitorSpecSelector { MatchLabels = new Dictionary<string, string>(CollectorEndpoint.PodLabels) },
            PodMetricsEndpoints = [new PodMonitorSpecPodMetricsEndpoints { Port = CollectorEndpoint.MetricsPortName, Path = "/metrics", Interval = "15s" }],
        },
    };

    public static ServiceMonitor IstiodServiceMonitor() => new()
    {
        Metadata = new() { Name = "istiod", NamespaceProperty = Namespace },
        Spec = new ServiceMonitorSpec
        {
            NamespaceSelector = new ServiceMonitorSpecNamespaceSelector { MatchNames = [IstioMesh.SystemNamespace] },
            Selector = new ServiceMonitorSpecSelector { MatchLabels = new Dictionary<string, string> { ["istio"] = "pilot" } },
            Endpoints = [new ServiceMonitorSpecEndpoints { Port = "http-monitoring", Interval = "15s" }],
        },
    };

    public static PrometheusRule GoldenSignals() => new()
    {
        Metadata = new() { Name = GoldenSignalRules.GroupName, NamespaceProperty = Namespace },
        Spec = new PrometheusRuleSpec
        {
            Groups =
            [
                new PrometheusRuleSpecGroups
                {
                    Name = GoldenSignalRules.GroupName,
                    Interval = GoldenSignalRules.Interval,
                    Rules = IstioGoldenSignals.Rules
                        .Select(r => new PrometheusRuleSpecGroupsRules { Record = r.Record, Expr = r.Expr }).ToList(),
                },
            ],
        },
    };

    private static HelmReleaseArgs KialiArgs(StackConfig config) => new()
    {
        Name = KialiRelease,
        Chart = "kiali-server",
        Version = config.Charts.Kiali.Version,
        Namespace = Namespace,
        RepositoryOpts = new HelmRepositoryOpts(config.Charts.Kiali.Repository),
        Values = new JsonObject
        {
            // reached only through a port-forward; view-only, so anonymous access cannot change the mesh
            ["auth"] = new JsonObject { ["strategy"] = "anonymous" },
            ["deployment"] = new JsonObject { ["view_only_mode"] = true },
            ["external_services"] = new JsonObject
            {
                ["prometheus"] = new JsonObject
                {
                    ["url"] = string.Create(CultureInfo.InvariantCulture, $"http://{PrometheusService}.{Namespace}.svc.cluster.local:{PrometheusPort}"),
                },
                ["tracing"] = new JsonObject
                {
                    ["enabled"] = true,
                    ["provider"] = "jaeger",
                    ["use_grpc"] = true,
                    ["internal_url"] = string.Create(CultureInfo.InvariantCulture, $"http://{JaegerEndpoint.Host}:{JaegerEndpoint.QueryGrpcPort}"),
                    // the browser's view of Jaeger: the port-forward in the stack outputs
                    ["external_url"] = string.Create(CultureInfo.InvariantCulture, $"http://localhost:{JaegerEndpoint.UiPort}"),
                },
                ["grafana"] = new JsonObject { ["enabled"] = false },
            },
        },
    };

    public JsonObject Access(ClusterScope scope) => new()
    {
        ["jaeger"] = DashboardAccess.PortForward(scope, Namespace, JaegerEndpoint.Service, JaegerEndpoint.UiPort),
        ["prometheus"] = DashboardAccess.PortForward(scope, Namespace, PrometheusService, PrometheusPort),
        ["kiali"] = DashboardAccess.PortForward(scope, Namespace, KialiRelease, KialiPort, "/kiali"),
    };
}
