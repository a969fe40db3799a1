using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Crds.Policy.Linkerd.V1alpha1;
using MeshStack.Crds.Policy.Linkerd.V1beta3;
using MeshStack.Security;
using MeshStack.Topology;
using MeshStack.Tracing;

namespace MeshStack.Linkerd;

/// <summary>
/// linkerd-viz's Prometheus scrapes the apps' metrics from the collector's Prometheus exporter. viz's Prometheus has
/// no Prometheus Operator: the job goes into its <c>prometheus.scrapeConfigs</c>, which the chart appends to its own
/// jobs. Both ends are meshed, so the scrape is mTLS with viz Prometheus's identity, and a Server on the exporter port
/// admits exactly that identity for <c>GET /metrics</c>.
/// </summary>
public static class LinkerdCollectorScrape
{
    public const string JobName = "otel-collector-app-metrics";
    public const string ServerName = "otel-collector-metrics";

    /// <summary>One pod-discovery job in the collector's namespace, kept to the collector's exporter port.</summary>
    public static JsonArray ScrapeConfigs()
    {
        var labels = CollectorEndpoint.PodLabels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        var sources = new JsonArray(labels.Select(l => (JsonNode)PodLabelMeta(l.Key)).Append("__meta_kubernetes_pod_container_port_name").ToArray());
        return new JsonArray(new JsonObject
        {
            ["job_name"] = JobName,
            ["scrape_interval"] = "15s",
            ["kubernetes_sd_configs"] = new JsonArray(new JsonObject
            {
                ["role"] = "pod",
                ["namespaces"] = new JsonObject { ["names"] = new JsonArray(CollectorEndpoint.Namespace) },
            }),
            ["relabel_configs"] = new JsonArray(new JsonObject
            {
                ["source_labels"] = sources,
                ["action"] = "keep",
                ["regex"] = string.Join(";", labels.Select(l => System.Text.RegularExpressions.Regex.Escape(l.Value)).Append(CollectorEndpoint.MetricsPortName)),
            }),
        });
    }

    /// <summary>Prometheus's pod-discovery meta label for a pod label (every character outside [a-zA-Z0-9_] becomes _).</summary>
    public static string PodLabelMeta(string label) =>
        "__meta_kubernetes_pod_label_" + string.Concat(label.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));

    /// <summary>The exporter port's Server, its /metrics route, and the authorization of viz's Prometheus.</summary>
    public static IReadOnlyList<object> Policy()
    {
        var ns = CollectorEndpoint.Namespace;
        var objects = new List<object>();
        var server = PolicyRef.Emit(objects, new Server
        {
            Metadata = new V1ObjectMeta { Name = ServerName, NamespaceProperty = ns },
            Spec = new ServerSpec
            {
                PodSelector = new ServerSpecPodSelector { MatchLabels = new JsonObject(CollectorEndpoint.PodLabels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
                Port = new MeshStack.Crds.IntOrString(CollectorEndpoint.MetricsPortName),
                ProxyProtocol = "HTTP/1",
                AccessPolicy = "deny",
            },
        });
        var route = PolicyRef.Emit(objects, LinkerdSecurityRenderer.Route($"{ServerName}-scrape", ns, [server], [ApiRoute.Read("metrics", PathMatch.Exact("/metrics"))]));
        var prometheus = PolicyRef.Emit(objects, LinkerdSecurityRenderer.VizPrometheus(ns));
        objects.Add(LinkerdSecurityRenderer.Policy(route.Name, ns, route, prometheus));
        return objects;
    }
}
