using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Analysis;
using MeshStack.Config;
using MeshStack.Crds.Networking.Istio.V1;
using MeshStack.Graph;
using MeshStack.Output;
using MeshStack.Synthesis;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Synthesis;

/// <summary>
/// The user's typed escape hatch (<see cref="StackCustomizations"/>): a patch on an emitted object appears in what render
/// writes, in every cluster, on either mesh; the analysis judges the patched objects; a patch naming nothing fails.
/// </summary>
public class CustomizationTests
{
    private const string OwnerAnnotation = "example.com/owner";

    /// <summary>dev and prod, each on both meshes: one and two clusters.</summary>
    public static TheoryData<string, string> StacksAndMeshes => Stacks.StacksAndMeshes;

    private static StackConfig Config(string stack, string mesh) =>
        Stacks.ConfigFromYaml(Stacks.WithMesh(File.ReadAllText(Repo.StackFile(stack)), mesh));

    private static ResourceGraph Synthesize(StackConfig config, StackCustomizations customizations) =>
        StackSynthesizer.Synthesize(config, customizations);

    /// <summary>The rendered objects of a kind and name, in every cluster, as render writes them.</summary>
    private static List<JsonObject> Rendered(ResourceGraph graph, string kind, string name) =>
        StackEmitter.Emit(graph, []).Manifests
            .SelectMany(m => MeshStack.Analysis.YamlDocuments.Parse(m.Yaml).OfType<JsonObject>())
            .SelectMany(o => o["kind"]?.GetValue<string>() == "List" ? (o["items"] as JsonArray ?? []).OfType<JsonObject>() : [o])
            .Where(o => o["kind"]?.GetValue<string>() == kind && o["metadata"]?["name"]?.GetValue<string>() == name)
            .ToList();

    [Theory]
    [MemberData(nameof(StacksAndMeshes))]
    public void An_annotation_on_the_order_deployment_appears_in_every_cluster_s_render(string stack, string mesh)
    {
        var config = Config(stack, mesh);
        var customizations = new StackCustomizations().Customize<V1Deployment>("order", d =>
        {
            d.Metadata.Annotations ??= new Dictionary<string, string>();
            d.Metadata.Annotations[OwnerAnnotation] = "team-orders";
        });

        var patched = Rendered(Synthesize(config, customizations), "Deployment", "order");
        var plain = Rendered(Synthesize(config, new StackCustomizations()), "Deployment", "order");

        Assert.Equal(config.Clusters.Count(c => c.Runs("order")), patched.Count);
        Assert.All(patched, d => Assert.Equal("team-orders", d["metadata"]?["annotations"]?[OwnerAnnotation]?.GetValue<string>()));
        Assert.All(plain, d => Assert.Null(d["metadata"]?["annotations"]?[OwnerAnnotation]));
        // nothing else about the Deployment changed
        foreach (var (p, q) in patched.Zip(plain))
        {
            ((JsonObject)p["metadata"]!["annotations"]!).Remove(OwnerAnnotation);
            if (p["metadata"]!["annotations"]!.AsObject().Count == 0) p["metadata"]!.AsObject().Remove("annotations");
            Assert.True(JsonNode.DeepEquals(q, p), "only the annotation differs");
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void A_destination_rule_connection_pool_change_appears_in_the_istio_render(string stack)
    {
        var customizations = new StackCustomizations().Customize<DestinationRule>("order", dr =>
            dr.Spec!.TrafficPolicy!.ConnectionPool!.Http!.Http1MaxPendingRequests = 7);

        var rules = Rendered(Synthesize(Config(stack, "istio"), customizations), "DestinationRule", "order");

        Assert.NotEmpty(rules);
        Assert.All(rules, dr => Assert.Equal(7L, dr["spec"]?["trafficPolicy"]?["connectionPool"]?["http"]?["http1MaxPendingRequests"]?.GetValue<long>()));
    }

    /// <summary>
    /// The analysis reads the patched objects: a harmless patch adds no finding, and a patch that runs order as root is
    /// caught (workload-non-root) — the same analysis render and check run.
    /// </summary>
    [Theory]
    [MemberData(nameof(StacksAndMeshes))]
    public void The_analysis_runs_on_the_customized_render(string stack, string mesh)
    {
        var config = Config(stack, mesh);
        AnalysisReport Analyse(StackCustomizations c) =>
            Analyzer.Run(RenderModel.FromGraph(config, config.App, Synthesize(config, c)));
        static IEnumerable<string> Errors(AnalysisReport r) => r.Errors.Select(f => $"{f.Rule} {f.Object} {f.Message}");

        var plain = Analyse(new StackCustomizations());
        var harmless = Analyse(new StackCustomizations().Customize<V1Deployment>("order", d => d.Metadata.Annotations = new Dictionary<string, string> { [OwnerAnnotation] = "team-orders" }));
        var asRoot = Analyse(new StackCustomizations().Customize<V1Deployment>("order", d =>
            d.Spec.Template.Spec.Containers.Single(c => c.Name == "order").SecurityContext.RunAsUser = 0));

        Assert.Equal(Errors(plain), Errors(harmless));
        var added = asRoot.Errors.Where(f => !Errors(plain).Contains($"{f.Rule} {f.Object} {f.Message}")).ToList();
        Assert.NotEmpty(added);
        Assert.All(added, f =>
        {
            Assert.Equal("workload-non-root", f.Rule);
            Assert.Equal(("Deployment", "order"), (f.Object.Kind, f.Object.Name));
        });
    }

    [Fact]
    public void A_customization_naming_no_emitted_object_is_an_error_naming_it_and_the_nearest_name()
    {
        var config = Config("dev", "linkerd");
        var customizations = new StackCustomizations().Customize<V1Deployment>("ordr", d => d.Metadata.Annotations = null);

        var error = Assert.Throws<ConfigException>(() => Synthesize(config, customizations));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("Customize<V1Deployment>(\"ordr\")", problem.Path);
        Assert.Contains("no emitted V1Deployment is named 'ordr' (did you mean 'order'?)", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A type the mesh does not emit (a DestinationRule on Linkerd) and a namespace that holds no such object are errors too.</summary>
    [Fact]
    public void A_customization_of_a_type_or_namespace_the_stack_does_not_emit_is_an_error()
    {
        var config = Config("dev", "linkerd");
        var customizations = new StackCustomizations()
            .Customize<DestinationRule>("order", _ => { })
            .Customize<V1Deployment>("order", _ => { }, "default")
            .Customize<V1Service>("order", _ => { });

        var error = Assert.Throws<ConfigException>(() => Synthesize(config, customizations));

        Assert.Equal(["Customize<DestinationRule>(\"order\")", "Customize<V1Deployment>(\"order\", namespace: \"default\")"],
            error.Problems.Select(p => p.Path));
        Assert.Contains("emitted: none of this type", error.Problems[0].Message, StringComparison.Ordinal);
    }

    /// <summary>A customization matches by exact name: another service's Deployment is left alone.</summary>
    [Fact]
    public void A_customization_changes_only_the_object_it_names()
    {
        var config = Config("dev", "istio");
        var graph = Synthesize(config, new StackCustomizations().Customize<V1Deployment>("order", d => d.Spec.Replicas = 5));

        Assert.All(Rendered(graph, "Deployment", "order"), d => Assert.Equal(5L, d["spec"]?["replicas"]?.GetValue<long>()));
        Assert.All(Rendered(graph, "Deployment", "payment"), d => Assert.NotEqual(5L, d["spec"]?["replicas"]?.GetValue<long>()));
    }
}
