using MeshStack.Analysis.Simulation;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Tests.Security;
using MeshStack.Tests.Support;
using Monitoring = MeshStack.Crds.Monitoring.Coreos.V1;

namespace MeshStack.Tests.Observability;

/// <summary>
/// The apps' metrics reach Prometheus: the collector turns their OTLP metrics into a Prometheus exporter endpoint, and
/// the mesh's Prometheus really discovers and may scrape that port, on every corpus stack, both meshes, every cluster.
/// The collector pod is taken as the chart renders it from the release's values, so a label or port that drifts from
/// the chart is caught.
/// </summary>
public class CollectorMetricsScrapeTests
{
    /// <summary>The collector pod the opentelemetry-collector chart (0.170.0) renders from these values.</summary>
    private sealed record CollectorPod(Dictionary<string, string> Labels, Dictionary<string, int> Ports, int ExporterPort);

    private static CollectorPod Pod(HelmReleaseArgs release)
    {
        var v = release.Values;
        // pod labels: selectorLabels + component (templates/deployment.yaml 39-42; _helpers.tpl 4-6 name = chart name
        // unless nameOverride, 80-83 instance = release name, 15-18 component by mode)
        var mode = v["mode"]!.GetValue<string>();
        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = v["nameOverride"]?.GetValue<string>() ?? "opentelemetry-collector",
            ["app.kubernetes.io/instance"] = release.Name,
            ["component"] = mode switch { "deployment" => "standalone-collector", "daemonset" => "agent-collector", _ => "statefulset-collector" },
        };
        // container ports: one per enabled entry of `ports`, named by its key (_config.tpl 474-480)
        var ports = v["ports"]!.AsObject()
            .Where(p => p.Value!["enabled"]?.GetValue<bool>() == true)
            .ToDictionary(p => p.Key, p => p.Value!["containerPort"]!.GetValue<int>());
        // the port the prometheus exporter listens on, from its endpoint host:port
        var endpoint = v["config"]!["exporters"]!["prometheus"]!["endpoint"]!.GetValue<string>();
        return new CollectorPod(labels, ports, int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..]));
    }

    private static string PortName(CollectorPod pod) =>
        pod.Ports.SingleOrDefault(p => p.Value == pod.ExporterPort).Key
        ?? throw new Xunit.Sdk.XunitException($"no container port {pod.ExporterPort} on the collector: Prometheus cannot name it");

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Prometheus_scrapes_the_apps_metrics_from_the_collectors_exporter(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        foreach (var cluster in config.Clusters)
        {
            var pod = Pod(graph[$"{cluster.Name}-otel-collector"].As<HelmReleaseArgs>());
            var portName = PortName(pod);
            // the metrics pipeline feeds that exporter
            var collectorConfig = graph[$"{cluster.Name}-otel-collector"].As<HelmReleaseArgs>().Values["config"]!;
            Assert.Contains("prometheus", collectorConfig["service"]!["pipelines"]!["metrics"]!["exporters"]!.AsArray().Select(e => e!.GetValue<string>()));
            if (config.Mesh == MeshKind.Istio) AssertIstioScrapes(name, graph, cluster.Name, pod, portName);
            else AssertLinkerdScrapes(name, graph, cluster.Name, pod, portName);
        }
    }

    private static void AssertIstioScrapes(string name, ResourceGraph graph, string cluster, CollectorPod pod, string portName)
    {
        var prometheus = graph[$"{cluster}-kube-prometheus-stack"].As<HelmReleaseArgs>().Values["prometheus"]!["prometheusSpec"]!;
        // kube-prometheus-stack values.yaml 4200-4205 (81.6.2): with podMonitorSelectorNilUsesHelmValues false and the
        // default empty podMonitorSelector, Prometheus selects every PodMonitor (true would select only the release's label)
        Assert.False(prometheus["podMonitorSelectorNilUsesHelmValues"]!.GetValue<bool>());
        var monitors = graph[$"{cluster}-prometheus-monitoring"].As<ConfigGroupArgs>().Objects.OfType<Monitoring.PodMonitor>();
        var scraping = monitors.Where(m =>
            (m.Spec!.NamespaceSelector?.Any == true || m.Spec.NamespaceSelector?.MatchNames?.Contains(MeshStack.Tracing.CollectorEndpoint.Namespace) == true)
            && (m.Spec.Selector.MatchLabels ?? []).All(l => pod.Labels.TryGetValue(l.Key, out var v) && v == l.Value)
            && (m.Spec.Selector.MatchExpressions ?? []).All(e => e.Operator == "Exists" ? pod.Labels.ContainsKey(e.Key) : false)
            && m.Spec.PodMetricsEndpoints!.Any(ep => ep.Port == portName)).ToList();
        Assert.True(scraping.Count == 1, $"{name} {cluster}: {scraping.Count} PodMonitors scrape the collector's {portName} port");
    }

    private static void AssertLinkerdScrapes(string name, ResourceGraph graph, string cluster, CollectorPod pod, string portName)
    {
        var jobs = graph[$"{cluster}-linkerd-viz"].As<HelmReleaseArgs>().Values["prometheus"]?["scrapeConfigs"]?.AsArray() ?? [];
        // pod discovery gives one target per container port with these meta labels (Prometheus kubernetes_sd, role pod)
        var targets = pod.Ports.Select(p =>
        {
            var meta = pod.Labels.ToDictionary(l => MeshStack.Linkerd.LinkerdCollectorScrape.PodLabelMeta(l.Key), l => l.Value);
            meta["__meta_kubernetes_namespace"] = MeshStack.Tracing.CollectorEndpoint.Namespace;
            meta["__meta_kubernetes_pod_container_port_name"] = p.Key;
            meta["__meta_kubernetes_pod_container_port_number"] = p.Value.ToString();
            return meta;
        }).ToList();
        var scraped = jobs.Select(j => j!.AsObject()).Where(job =>
                job["kubernetes_sd_configs"]!.AsArray().Any(sd => sd!["role"]!.GetValue<string>() == "pod"
                    && (sd["namespaces"]?["names"]?.AsArray().Any(n => n!.GetValue<string>() == MeshStack.Tracing.CollectorEndpoint.Namespace) ?? true)))
            .SelectMany(job => targets.Where(t => Kept(job, t)))
            .Select(t => int.Parse(t["__meta_kubernetes_pod_container_port_number"])).ToList();
        Assert.True(scraped.Contains(pod.ExporterPort), $"{name} {cluster}: viz Prometheus discovers no target on the collector's port {pod.ExporterPort}");
        Assert.All(scraped, port => Assert.Equal(pod.ExporterPort, port));

        // both ends are meshed: the collector's proxy decides, and only viz's Prometheus may read /metrics there
        var manifests = CorpusRender.Of(name).Manifests.Where(m => m.Cluster == cluster).Select(m => m.Parse()).ToList();
        var policy = new LinkerdAuthorizer(manifests);
        var ns = MeshStack.Tracing.CollectorEndpoint.Namespace;
        Assert.True(policy.Allows(ns, pod.Labels, portName, new InboundRequest("prometheus.linkerd-viz.serviceaccount.identity.linkerd.cluster.local", "GET", "/metrics")),
            $"{name} {cluster}: the collector's proxy refuses viz Prometheus's scrape");
        Assert.False(policy.Allows(ns, pod.Labels, portName, new InboundRequest("api-gateway.ecommerce.serviceaccount.identity.linkerd.cluster.local", "GET", "/metrics")));
    }

    /// <summary>Prometheus relabelling with only keep/drop: source values joined by ';', the regex fully anchored.</summary>
    private static bool Kept(JsonObject job, Dictionary<string, string> target) =>
        (job["relabel_configs"]?.AsArray() ?? []).All(rc =>
        {
            var joined = string.Join(rc!["separator"]?.GetValue<string>() ?? ";",
                rc["source_labels"]!.AsArray().Select(s => target.GetValueOrDefault(s!.GetValue<string>(), "")));
            var matches = Regex.IsMatch(joined, $"^(?:{rc["regex"]?.GetValue<string>() ?? "(.*)"})$");
            return rc["action"]?.GetValue<string>() switch { "keep" => matches, "drop" => !matches, _ => true };
        });

    /// <summary>What the services export over OTLP (services' TelemetrySignalsTests sees exactly these on the wire).</summary>
    private static readonly string[] AppSignals = ["logs", "metrics", "traces"];

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_signal_the_apps_export_has_a_collector_pipeline_to_a_declared_exporter(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        foreach (var cluster in config.Clusters)
        {
            var collector = graph[$"{cluster.Name}-otel-collector"].As<HelmReleaseArgs>().Values["config"]!;
            var pipelines = collector["service"]!["pipelines"]!.AsObject();
            // a signal without a pipeline is answered Unimplemented by the collector's OTLP receiver
            Assert.Equal(AppSignals, pipelines.Select(p => p.Key.Split('/')[0]).Distinct().Order(StringComparer.Ordinal));
            foreach (var (signal, pipeline) in pipelines)
            {
                Assert.Contains("otlp", pipeline!["receivers"]!.AsArray().Select(r => r!.GetValue<string>()));
                var exporters = pipeline["exporters"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
                Assert.NotEmpty(exporters);
                Assert.All(exporters, e => Assert.NotNull(collector["exporters"]![e]));
            }
        }
    }

    [Fact]
    public void Seeded_fault_a_monitor_on_the_charts_service_label_instead_of_the_pods_is_caught()
    {
        var (_, graph) = CorpusRender.GraphOf("generated:istio-1-cluster");
        var pod = Pod(graph["east-otel-collector"].As<HelmReleaseArgs>());
        var monitor = MeshStack.Istio.IstioObservability.CollectorPodMonitor();
        // the chart's Service/Deployment metadata label helm.sh/chart is not on the pods
        monitor.Spec!.Selector.MatchLabels!["helm.sh/chart"] = "opentelemetry-collector-0.170.0";
        Assert.False(monitor.Spec.Selector.MatchLabels.All(l => pod.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
    }
}
