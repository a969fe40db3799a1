using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Security;

/// <summary>
/// Item 11 of issue 13: where the kubelet's probes and Prometheus's scrapes land once Istio has injected a pod, and the
/// README saying the same. Istio at release-1.31 (a8d7012, the 1.31.1 chart files):
/// pkg/kube/inject/app_probe.go 68 and 127 (an httpGet probe becomes one on the agent's status port), pilot/cmd/
/// pilot-agent/status/server.go 422-423 (its path is /app-health/&lt;container&gt;/readyz or livez);
/// istio-discovery values.yaml 408 (global.proxy.statusPort 15020); files/injection-template.yaml 110 (15090, 15021 and
/// the status port are excluded from inbound capture), 195-197 (15090 is the container port named http-envoy-prom),
/// 365-376 (15021 /healthz/ready is the sidecar's own startup and readiness probe).
/// </summary>
public class IstioPortFactsTests
{
    private const int EnvoyStats = 15090;
    private const int EnvoyReadiness = 15021;

    private static int StatusPort() =>
        ChartValues.Int(ChartValues.Effective(Path.Combine(Repo.Shared!, "upstream", "istio", "charts", "istiod", "values.yaml"), [])["global"]!["proxy"]!["statusPort"]);

    /// <summary>The inbound ports the sidecar does not capture (injection-template.yaml 110).</summary>
    private static HashSet<int> NotCaptured() => [EnvoyStats, EnvoyReadiness, StatusPort()];

    /// <summary>A probe as the injector rewrites it: (port, path).</summary>
    private static (int Port, string Path) Rewritten(string container, string kind) => (StatusPort(), $"/app-health/{container}/{kind}");


    [SkippableTheoryIfNoShared]
    [MemberData(nameof(StackCorpus.IstioNames), MemberType = typeof(StackCorpus))]
    public void Istio_kubelet_probes_and_prometheus_scrapes_land_on_ports_the_sidecar_does_not_capture(string name)
    {
        var manifests = CorpusRender.Of(name).Manifests.Select(m => m.Parse()).ToList();
        var deployments = manifests.Where(m => m["kind"]!.GetValue<string>() == "Deployment" && m["metadata"]!["namespace"]?.GetValue<string>() == "ecommerce").ToList();
        Assert.NotEmpty(deployments);
        foreach (var d in deployments)
        {
            foreach (var c in d["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            {
                foreach (var (probe, kind) in new[] { ("readinessProbe", "readyz"), ("livenessProbe", "livez") })
                {
                    if (c![probe]?["httpGet"] is null) continue;
                    var (port, path) = Rewritten(c["name"]!.GetValue<string>(), kind);
                    Assert.Contains(port, NotCaptured());
                    Assert.NotEqual(EnvoyReadiness, port);
                    Assert.StartsWith("/app-health/", path, StringComparison.Ordinal);
                }
            }
        }
        // the stack's scrape of every sidecar names the injected container port http-envoy-prom, which is 15090
        var podMonitors = manifests.Where(m => m["kind"]!.GetValue<string>() == "PodMonitor" && m["metadata"]!["name"]!.GetValue<string>() == "envoy-stats").ToList();
        Assert.NotEmpty(podMonitors);
        Assert.All(podMonitors, pm => Assert.Equal("http-envoy-prom", pm["spec"]!["podMetricsEndpoints"]![0]!["port"]!.GetValue<string>()));
        Assert.Contains(EnvoyStats, NotCaptured());
    }

    [SkippableTheoryIfNoShared]
    [InlineData("Kubelet probes")]
    public void Readme_names_the_ports_where_istio_probes_and_scrapes_land(string row)
    {
        var readme = File.ReadAllLines(Path.Combine(Repo.Root, "README.md"));
        var probeCell = IstioCell(readme, row);
        Assert.Contains($"{StatusPort()}", probeCell, StringComparison.Ordinal);
        Assert.Contains("/app-health/", probeCell, StringComparison.Ordinal);
        // 15021 may be named only as Envoy's readiness, never as where probes go
        Assert.DoesNotContain($"to port {EnvoyReadiness}", probeCell, StringComparison.Ordinal);
        Assert.Contains($"{EnvoyStats}", IstioCell(readme, "Prometheus"), StringComparison.Ordinal);
    }

    /// <summary>A seeded fault: the README row as it read before the fix is caught.</summary>
    [SkippableTheoryIfNoShared]
    [InlineData("| Kubelet probes | Rewritten by the sidecar to port 15021: outside app authorization | x |")]
    public void Seeded_fault_readme_probe_row_naming_15021_is_caught(string oldRow)
    {
        var cell = IstioCell([oldRow], "Kubelet probes");
        Assert.False(cell.Contains($"{StatusPort()}", StringComparison.Ordinal) && cell.Contains("/app-health/", StringComparison.Ordinal));
    }

    /// <summary>The Istio column of the security table's row.</summary>
    private static string IstioCell(IEnumerable<string> lines, string row) =>
        lines.Single(l => l.StartsWith($"| {row} |", StringComparison.Ordinal)).Split('|')[2];
}
