using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Delivery;

/// <summary>
/// Flagger installs the way Helm 3 can and runs a version that advances canaries on the stack's mesh, on every corpus
/// stack with an automated canary (both meshes, one to three clusters).
/// </summary>
public class FlaggerInstallTests
{
    public static TheoryData<string> AutomatedCanaryStacks
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var e in StackCorpus.All.Where(e => CorpusRender.GraphOf(e.Name).Config.Traffic.Canary is { Automated: true }))
                data.Add(e.Name);
            return data;
        }
    }

    private static IEnumerable<(ClusterConfig Cluster, Resource Release)> Releases(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        return config.Clusters.Select(c => (c, graph[$"{c.Name}-flagger"]));
    }

    [Fact]
    public void The_corpus_has_automated_canaries_on_both_meshes()
    {
        var meshes = StackCorpus.All.Select(e => CorpusRender.GraphOf(e.Name).Config).Where(c => c.Traffic.Canary is { Automated: true }).Select(c => c.Mesh).Distinct().ToList();
        Assert.Equal(2, meshes.Count);
    }

    [Theory]
    [MemberData(nameof(AutomatedCanaryStacks))]
    public void Flaggers_CRDs_come_from_the_charts_crds_directory_before_the_Canary_so_Helm_3_can_install_it(string name)
    {
        var graph = CorpusRender.GraphOf(name).Graph;
        foreach (var (cluster, release) in Releases(name))
        {
            // charts/flagger/templates/crd.yaml 1-3 (fluxcd/flagger v1.41.0) renders crds/*.yaml again as templates when
            // crd.create is true: Helm 3 has already installed crds/ and refuses to adopt them (fluxcd/flagger#1199);
            // values.yaml 133-135 and README.md 179 say crd.create is for Helm v2 only
            var values = release.As<HelmReleaseArgs>().Values;
            Assert.False(values["crd"]?["create"]?.GetValue<bool>() ?? false, $"{name} {cluster.Name}: crd.create renders the CRDs twice under Helm 3");
            // the Canary and its MetricTemplates wait for the release, whose crds/ Helm applies before anything else
            Assert.Contains(graph[$"{cluster.Name}-flagger-canary"].Options.DependsOn, d => d == release);
        }
    }

    [Theory]
    [MemberData(nameof(AutomatedCanaryStacks))]
    public void Linkerd_canaries_run_a_Flagger_that_advances_without_an_HTTPRoute_observedGeneration(string name)
    {
        var config = CorpusRender.GraphOf(name).Config;
        foreach (var (cluster, release) in Releases(name))
        {
            var version = Version.Parse(release.As<HelmReleaseArgs>().Version.Split('-')[0]);
            // fluxcd/flagger pkg/router/gateway_api.go v1.42.0:285 / v1.44.0:279 waits for Accepted.observedGeneration >=
            // generation; linkerd/linkerd2 edge-26.8.3 policy-controller/k8s/status/src/index.rs 1889-1898 writes Accepted
            // with observedGeneration None, so only Flagger < 1.42 advances on Linkerd. Istio uses pkg/router/istio.go.
            if (config.Mesh == MeshKind.Linkerd)
                Assert.True(version < new Version(1, 42, 0), $"{name} {cluster.Name}: Flagger {version} never advances a canary on Linkerd");
        }
    }

    [Fact]
    public void A_Flagger_pin_that_would_stall_Linkerd_canaries_is_refused_with_the_key()
    {
        var yaml = StackFixtures.Text("canary") + """
              mesh-stack:charts:
                flagger:
                  repository: https://flagger.app
                  version: "1.44.0"
            """;
        Rejection.AssertRenderRejects("flagger 1.44 on linkerd", yaml,
            "mesh-stack:charts.flagger.version: Flagger 1.44.0 waits for an observedGeneration");
        // the same pin is fine on Istio, whose router does not wait for route status
        var istio = yaml.Replace("mesh-stack:mesh: linkerd", "mesh-stack:mesh: istio", StringComparison.Ordinal);
        Assert.Equal("1.44.0", Stacks.GraphFromYaml(istio)["canary-flagger"].As<HelmReleaseArgs>().Version);
    }
}
