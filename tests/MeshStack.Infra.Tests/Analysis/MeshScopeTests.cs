using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.Meshes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Analysis;

/// <summary>
/// The mesh as an object of the analysis: each mesh's own rules run on its renders only (and are silent on the other
/// mesh's equivalent fault), the rules of both meshes find their faults on both, and no rule branches on the mesh's name.
/// </summary>
public class MeshScopeTests
{
    private static IEnumerable<Finding> Run(RenderModel model, string rule) => Analyzer.Run(model).Findings.Where(f => f.Rule == rule);

    [Fact]
    public void Each_mesh_rule_runs_on_its_mesh_only_and_the_catalogue_lists_every_rule_once_in_id_order()
    {
        var meshRules = MeshAnalysisCatalog.All.SelectMany(m => m.Rules).ToList();
        Assert.Equal(meshRules.Count, meshRules.Select(r => r.Id).Distinct().Count());
        Assert.All(meshRules, r => Assert.Contains(r, Analyzer.Rules));
        var ids = Analyzer.Rules.Select(r => r.Id).Where(id => id.StartsWith("MS", StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        foreach (var mesh in MeshAnalysisCatalog.All)
        {
            var rules = Analyzer.RulesFor(mesh).ToList();
            Assert.All(mesh.Rules, r => Assert.Contains(r, rules));
            Assert.All(MeshAnalysisCatalog.All.Where(m => m != mesh).SelectMany(m => m.Rules), r => Assert.DoesNotContain(r, rules));
        }
        Assert.Contains(IstioAnalysis.Instance.Rules, r => r.Id == "MS104");
        Assert.Contains(LinkerdAnalysis.Instance.Rules, r => r.Id == "MS703");
    }

    [Theory]
    [InlineData("stack:prod", "istio")]
    [InlineData("stack:dev", "linkerd")]
    [InlineData("stack:multi-linkerd", "linkerd")]
    [InlineData("generated:istio-1-cluster", "istio")]
    public void A_render_without_its_config_gets_its_mesh_from_its_releases(string stack, string mesh)
    {
        var model = CorpusModel.Of(stack);
        Assert.Equal(mesh, model.Mesh.Name);
        Assert.Same(model.Mesh, MeshAnalysisCatalog.Detect(model.Releases));
    }

    [Fact]
    public void MS104_is_istio_only_a_linkerd_route_to_an_unknown_service_is_MS105s()
    {
        var dev = CorpusModel.Mutated(CorpusModel.Of("stack:dev"),
            o => o.Find("dev", "HTTPRoute", "order-list-orders")["spec"]!["rules"]![0]!["backendRefs"]![0]!["name"] = "ordr");
        Assert.Empty(Run(dev, "MS104"));
        Assert.Contains(Run(dev, "MS105"), f => f.Object.ToString() == "dev/HTTPRoute/ecommerce/order-list-orders");
    }

    [Fact]
    public void MS703_is_linkerd_only_an_istio_query_without_a_tls_selector_is_not_flagged()
    {
        const string query = "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload=\"order\",response_code!~\"5.*\"}[1m]))";
        var istio = CorpusModel.Mutated(CorpusModel.Of("generated:istio-2-cluster"), o => o.Add(MetricTemplate("east", query)));
        Assert.Empty(Run(istio, "MS703"));
        // the Linkerd query without tls="true" on the Linkerd render is found (the rule is alive on its mesh)
        var linkerd = CorpusModel.Mutated(CorpusModel.Of("stack:canary"),
            o => o.Add(MetricTemplate("canary", "sum(rate(response_total{deployment=\"order\",classification!=\"failure\"}[1m]))")));
        Assert.Contains(Run(linkerd, "MS703"), f => f.Object.ToString() == "canary/MetricTemplate/ecommerce/extra-success-rate");
    }

    private static MeshStack.Security.Policy.RenderedObject MetricTemplate(string cluster, string query) => new(null, cluster, new JsonObject
    {
        ["apiVersion"] = "flagger.app/v1beta1",
        ["kind"] = "MetricTemplate",
        ["metadata"] = new JsonObject { ["name"] = "extra-success-rate", ["namespace"] = "ecommerce" },
        ["spec"] = new JsonObject { ["provider"] = new JsonObject { ["type"] = "prometheus", ["address"] = "http://prometheus:9090" }, ["query"] = query },
    });

    [Fact]
    public void MS702_on_istio_is_quiet_with_a_load_test_webhook_and_found_without()
    {
        var istio = CorpusModel.Of("generated:istio-2-cluster");
        var fed = CorpusModel.Mutated(istio, o => o.Find("east", "Canary", "order")["spec"]!["analysis"]!["webhooks"] = new JsonArray(new JsonObject
        {
            ["name"] = "load-test",
            ["url"] = "http://flagger-loadtester.ecommerce/",
            ["metadata"] = new JsonObject { ["cmd"] = "hey -z 1m -q 10 -c 2 http://order-canary.ecommerce:8080/orders" },
        }));
        Assert.DoesNotContain(Run(fed, "MS702"), f => f.Object.ToString() == "east/Canary/ecommerce/order");
        var starved = CorpusModel.Mutated(fed, o => o.Find("east", "Canary", "order")["spec"]!["analysis"]!.AsObject().Remove("webhooks"));
        Assert.Contains(Run(starved, "MS702"), f => f.Object.ToString() == "east/Canary/ecommerce/order");
    }

    [Fact]
    public void MS603_finds_a_linkerd_cluster_with_other_trust_anchors()
    {
        var clean = CorpusModel.Of("stack:multi-linkerd");
        Assert.Empty(Run(clean, "MS603"));
        var broken = CorpusModel.MutatedReleases(clean, r =>
        {
            if (r.Cluster != "west" || r.Chart != "linkerd-control-plane") return r;
            var values = (JsonObject)r.Values.DeepClone();
            values["identityTrustAnchorsPEM"] = "another anchor";
            return r with { Values = values };
        });
        Assert.Contains(Run(broken, "MS603"), f => f.Object.ToString() == "west/HelmRelease/linkerd/linkerd-control-plane" && f.Message.StartsWith("identityTrustAnchorsPEM differs", StringComparison.Ordinal));
    }
}
