using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Observability;
using MeshStack.Synthesis;
using MeshStack.Tracing;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd's tracing and metrics: <c>proxy.tracing</c> in the control plane sends proxy spans to the collector,
/// which must be meshed (proxies export only to the identity in <c>meshIdentity</c>); linkerd-viz brings the
/// dashboard and its own Prometheus, which is meshed, so its scrapes of the proxies' admin port are mTLS and
/// pass an all-authenticated policy. The golden-signal rules are a rule file mounted into that Prometheus.
/// </summary>
public sealed class LinkerdObservability : IMeshObservability
{
    public const string VizNamespace = "linkerd-viz";
    public const string VizRelease = "linkerd-viz";
    public const string RulesConfigMap = "mesh-recording-rules";
    /// <summary>viz's Prometheus loads rule files whose names end in <c>_rules.yml</c>.</summary>
    public const string RulesFile = "recording_rules.yml";
    public const string PrometheusService = "prometheus";
    public const int PrometheusPort = 9090;
    public const string WebService = "web";
    public const int WebPort = 8084;

    /// <summary>viz's webhooks: Helm value key and Service name.</summary>
    private static readonly (string, string)[] VizWebhooks = [("tap", "tap"), ("tapInjector", "tap-injector")];

    public bool MeshesCollector => true;

    public void Configure(ClusterPlan plan)
    {
        // viz's tap injector adds tap to a pod only when the pod is created: the apps' pods must come after it
        plan.InstallBeforeApps(install => InstallViz(plan.Scope, install));
        plan.PatchRelease("linkerd-control-plane", TracingValues());
    }

    private static JsonObject TracingValues() => new()
    {
        ["proxy"] = new JsonObject
        {
            ["tracing"] = new JsonObject
            {
                ["enabled"] = true,
                ["traceServiceName"] = "linkerd-proxy",
                ["collector"] = new JsonObject
                {
                    ["endpoint"] = CollectorEndpoint.GrpcAuthority,
                    ["meshIdentity"] = new JsonObject
                    {
                        ["serviceAccountName"] = CollectorEndpoint.ServiceAccount,
                        ["namespace"] = CollectorEndpoint.Namespace,
                    },
                },
            },
        },
    };

    /// <summary>
    /// viz itself is installed before the apps (see <see cref="Configure"/>); once the collector's namespace exists,
    /// the policy that lets viz's Prometheus scrape the collector's metrics port.
    /// </summary>
    public void Build(ClusterBuild build, ObservabilityStack stack) =>
        build.Scope.CustomResources("collector-scrape-policy", LinkerdCollectorScrape.Policy(), build.Install.Crds, stack.Namespace);

    private static Resource InstallViz(ClusterScope scope, MeshInstallation install)
    {
        // made here rather than by the chart's post-install Job, which Pulumi would run as a plain object
        var ns = scope.Namespace("ns-linkerd-viz", VizNamespace,
            new Dictionary<string, string>
            {
                ["linkerd.io/extension"] = "viz",
                // the proxy-init container needs NET_ADMIN without the CNI plugin
                ["pod-security.kubernetes.io/enforce"] = "privileged",
            },
            new Dictionary<string, string>
            {
                ["linkerd.io/inject"] = "enabled",
                ["config.linkerd.io/proxy-await"] = "enabled",
            },
            install.ControlPlane);
        var rules = scope.Add("mesh-recording-rules", RulesConfigMapModel(), ns);
        return scope.HelmRelease(VizRelease, VizArgs(scope), [ns, rules, install.ControlPlane]);
    }

    /// <summary>The golden-signal rules as a Prometheus rule file (JSON is valid YAML).</summary>
    public static V1ConfigMap RulesConfigMapModel()
    {
        var file = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = GoldenSignalRules.GroupName,
                ["interval"] = GoldenSignalRules.Interval,
                ["rules"] = new JsonArray(LinkerdGoldenSignals.Rules
                    .Select(r => (JsonNode)new JsonObject { ["record"] = r.Record, ["expr"] = r.Expr }).ToArray()),
            }),
        };
        return new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = RulesConfigMap, NamespaceProperty = VizNamespace },
            Data = new Dictionary<string, string> { [RulesFile] = file.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) },
        };
    }

    private static HelmReleaseArgs VizArgs(ClusterScope scope)
    {
        var chart = scope.Config.Charts.Linkerd;
        var values = new JsonObject
        {
            ["linkerdNamespace"] = LinkerdMesh.ControlPlaneNamespace,
            ["createNamespaceMetadataJob"] = false,
            // the dashboard links each request to its trace
            ["jaegerUrl"] = $"{JaegerEndpoint.Host}:{JaegerEndpoint.UiPort}",
            ["prometheus"] = new JsonObject
            {
                ["ruleConfigMapMounts"] = new JsonArray(new JsonObject
                {
                    ["name"] = "recording-rules",
                    ["subPath"] = RulesFile,
                    ["configMap"] = RulesConfigMap,
                }),
            },
        };
        // the apps' metrics, from the collector's Prometheus exporter
        values["prometheus"]!["scrapeConfigs"] = LinkerdCollectorScrape.ScrapeConfigs();
        LinkerdWebhookCertificates.AddTo(scope.Graph, $"{scope.Cluster.Name}-linkerd-viz-webhook-ca", scope.Cluster.Name, VizNamespace, VizWebhooks, values);
        if (scope.Config.Replicas > 1) LinkerdHighAvailability.AddToViz(values);
        return chart.Release(VizRelease, "linkerd-viz", VizNamespace, values);
    }

    public JsonObject Access(ClusterScope scope) => new()
    {
        ["jaeger"] = DashboardAccess.PortForward(scope, CollectorEndpoint.Namespace, JaegerEndpoint.Service, JaegerEndpoint.UiPort),
        ["prometheus"] = DashboardAccess.PortForward(scope, VizNamespace, PrometheusService, PrometheusPort),
        ["linkerdViz"] = DashboardAccess.PortForward(scope, VizNamespace, WebService, WebPort),
    };
}
