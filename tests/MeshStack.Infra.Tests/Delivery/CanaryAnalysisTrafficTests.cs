using MeshStack.Analysis.Simulation;
using System.Globalization;
using System.Text.RegularExpressions;
using MeshStack.Config;
using MeshStack.Flagger;
using MeshStack.Graph;
using MeshStack.Linkerd;
using MeshStack.Tests.Security;
using MeshStack.Tests.Support;
using MeshStack.Topology;
using MeshStack.Traffic;
using FlaggerCrd = MeshStack.Crds.Flagger.V1beta1;

namespace MeshStack.Tests.Delivery;

/// <summary>
/// A Linkerd canary is judged on real, meshed traffic: its checks count only requests that carry a mesh identity and
/// only when there are enough of them, and a meshed load tester, allowed exactly the route it drives, supplies them.
/// Over every corpus stack with an automated canary on Linkerd (one to three clusters).
/// </summary>
public partial class CanaryAnalysisTrafficTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    public static TheoryData<string> LinkerdAutomatedCanaryStacks
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var e in StackCorpus.All)
            {
                var config = CorpusRender.GraphOf(e.Name).Config;
                if (config.Mesh == MeshKind.Linkerd && config.Traffic.Canary is { Automated: true }) data.Add(e.Name);
            }
            return data;
        }
    }

    /// <summary>An inbound series of the canary's proxy, as Flagger's variables resolve for the order canary.</summary>
    private static Dictionary<string, string> Series(string tls) => new()
    {
        ["namespace"] = "ecommerce", ["deployment"] = "order", ["direction"] = "inbound", ["tls"] = tls, ["classification"] = "success",
    };

    [GeneratedRegex(@"(?<metric>[a-z_]+)\{(?<sel>[^{}]*)\}")]
    private static partial Regex Selector();

    /// <summary>A query as Flagger runs it for the order canary: its template variables filled in.</summary>
    private static string Rendered(string query) => query.Replace("{{ namespace }}", "ecommerce", StringComparison.Ordinal)
        .Replace("{{ target }}", "order", StringComparison.Ordinal).Replace("{{ interval }}", "1m", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<label>[a-z_]+)(?<op>=~|!=|=)""(?<value>[^""]*)""")]
    private static partial Regex LabelMatcher();

    [GeneratedRegex(@" and sum\(rate\(response_total\{(?<sel>[^{}]*)\}\[1m\]\)\) >= (?<min>[0-9.]+)$")]
    private static partial Regex MinimumRate();

    /// <summary>Prometheus label matching of one selector against a series, after Flagger's template variables.</summary>
    private static bool Selects(string selector, IReadOnlyDictionary<string, string> series) =>
        LabelMatcher().Matches(selector).All(m =>
            {
                var actual = series.GetValueOrDefault(m.Groups["label"].Value, "");
                var value = m.Groups["value"].Value;
                return m.Groups["op"].Value switch
                {
                    "=" => actual == value,
                    "!=" => actual != value,
                    _ => Regex.IsMatch(actual, $"^(?:{value})$"),
                };
            });

    private static IEnumerable<(ClusterConfig Cluster, ResourceGraph Graph)> Clusters(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        return config.Clusters.Select(c => (c, graph));
    }

    [Theory]
    [MemberData(nameof(LinkerdAutomatedCanaryStacks))]
    public void Linkerd_canary_checks_count_only_meshed_requests_and_only_above_a_minimum_rate(string name)
    {
        foreach (var (cluster, graph) in Clusters(name))
        {
            var templates = graph[$"{cluster.Name}-flagger-canary"].As<ConfigGroupArgs>().Objects.OfType<FlaggerCrd.MetricTemplate>().ToList();
            Assert.Equal(2, templates.Count);
            foreach (var t in templates)
            {
                var query = Rendered(t.Spec!.Query!);
                var selectors = Selector().Matches(query).Select(m => m.Groups["sel"].Value).ToList();
                Assert.NotEmpty(selectors);
                // the proxy labels requests from a meshed peer tls="true" and plain-text ones (the kubelet's probes)
                // tls="no_identity" (linkerd/linkerd2 edge-26.8.3 test/integration/deep/opaqueports/assertions.go 31-48, 64-80)
                foreach (var sel in selectors)
                {
                    Assert.False(Selects(sel, Series("no_identity")), $"{name} {t.Metadata.Name}: {{{sel}}} counts the kubelet's probes");
                    Assert.True(Selects(sel, Series("true")), $"{name} {t.Metadata.Name}: {{{sel}}} misses meshed requests");
                }
                // below the minimum the query has no value, which Flagger counts as a failed check, not a pass
                // (fluxcd/flagger v1.41.0 pkg/controller/scheduler_metrics.go 316-324: "no values found", return false)
                var gate = MinimumRate().Match(query);
                Assert.True(gate.Success, $"{name} {t.Metadata.Name}: no minimum request rate in {query}");
                Assert.True(Selects(gate.Groups["sel"].Value, Series("true")) && !Selects(gate.Groups["sel"].Value, Series("no_identity")));
                var min = double.Parse(gate.Groups["min"].Value, CultureInfo.InvariantCulture);
                Assert.True(min > 0 && min < FlaggerLoadTester.RequestsPerSecond, $"{name}: minimum {min}/s, load tester sends {FlaggerLoadTester.RequestsPerSecond}/s");
            }
        }
    }

    [Fact]
    public void Seeded_fault_a_template_without_the_tls_label_is_caught_counting_probes()
    {
        var query = Rendered(LinkerdDelivery.Templates("ecommerce").First().Spec!.Query!.Replace(", tls=\"true\"", "", StringComparison.Ordinal));
        var selectors = Selector().Matches(query).Select(m => m.Groups["sel"].Value).ToList();
        Assert.Contains(selectors, sel => Selects(sel, Series("no_identity")));
    }

    [Theory]
    [MemberData(nameof(LinkerdAutomatedCanaryStacks))]
    public void Linkerd_canaries_get_load_from_a_meshed_load_tester_allowed_exactly_the_route_it_drives(string name)
    {
        foreach (var (cluster, graph) in Clusters(name))
        {
            var canary = graph[$"{cluster.Name}-flagger-canary"].As<ConfigGroupArgs>().Objects.OfType<FlaggerCrd.Canary>().Single();
            var release = graph[$"{cluster.Name}-{FlaggerLoadTester.ReleaseName}"];
            var args = release.As<HelmReleaseArgs>();
            Assert.Equal(("loadtester", FlaggerRelease.Namespace), (args.Chart, args.Namespace));
            // meshed by the pod annotation (flagger-system is not an injected namespace): linkerd/linkerd2 edge-26.8.3
            // pkg/inject/report.go 186-192, namespace "" + pod enabled = injected; and it runs as its own account
            Assert.Equal("enabled", args.Values["podAnnotations"]!["linkerd.io/inject"]!.GetValue<string>());
            Assert.Equal(FlaggerLoadTester.ServiceAccount, args.Values["serviceAccountName"]!.GetValue<string>());
            Assert.Contains(graph[$"{cluster.Name}-flagger-canary"].Options.DependsOn, d => d == release);

            // a rollout webhook: Flagger calls it before every check (the load tester runs its cmd in the background,
            // fluxcd/flagger v1.41.0 pkg/loadtester/server.go 296-301, 422-436)
            var hook = Assert.Single(canary.Spec!.Analysis!.Webhooks!);
            Assert.Equal(FlaggerCrd.CanarySpecAnalysisWebhooksType.Rollout, hook.Type);
            Assert.Equal($"http://{FlaggerLoadTester.ReleaseName}.{FlaggerRelease.Namespace}/", hook.Url);
            var url = new Uri(hook.Metadata!["cmd"].Split(' ').Last());
            Assert.Equal($"{FlaggerNames.Canary("order")}.ecommerce", url.Host);

            // the rendered Linkerd policy lets the load tester make exactly that request to the canary's pods, nothing else
            var manifests = CorpusRender.Of(name).Manifests.Where(m => m.Cluster == cluster.Name).Select(m => m.Parse()).ToList();
            var policy = new LinkerdAuthorizer(manifests);
            var identity = $"{FlaggerLoadTester.ServiceAccount}.{FlaggerRelease.Namespace}.serviceaccount.identity.linkerd.cluster.local";
            var pods = new Dictionary<string, string> { ["app"] = "order", ["version"] = "v1" };
            Assert.True(policy.Allows("ecommerce", pods, "http", new InboundRequest(identity, "GET", url.AbsolutePath)), $"{name}: load tester denied {url.AbsolutePath}");
            // under permissive mTLS every declared route of order admits any client (Security/PermissiveMtlsTests): there only
            // the path order does not serve stays closed to the load tester
            var permissive = CorpusRender.GraphOf(name).Config.Mtls == MeshStack.Config.MtlsMode.Permissive;
            var others = permissive ? new[] { ("GET", "/inventory") } : [("POST", "/orders"), ("GET", "/orders/o-1"), ("GET", "/inventory")];
            foreach (var (method, path) in others)
                Assert.False(policy.Allows("ecommerce", pods, "http", new InboundRequest(identity, method, path)), $"{name}: load tester may {method} {path}");
        }
    }
}
