using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Platform;

/// <summary>
/// Item 18 of issue 13, on every Linkerd stack of the corpus (1, 2 and 3 clusters and the stack files).
/// Tap: viz's tap injector adds tap to a pod only in its mutating admission webhook, when the pod is created (linkerd2
/// edge-26.8.3 viz/charts/linkerd-viz/templates/tap-injector-rbac.yaml 64 and 97, failurePolicy Ignore by default:
/// values.yaml 284), so a pod created before the injector answers runs without tap until it is recreated; a Helm
/// release is created once its Deployments are ready, so depending on the viz release is waiting for the injector.
/// Pod Security: see <see cref="PodSecurityAdmission"/>.
/// </summary>
public class LinkerdPlatformTests
{

    /// <summary>App workloads whose creation does not wait for their cluster's linkerd-viz release.</summary>
    public static List<string> AppPodsBeforeTapInjector(JsonObject program)
    {
        var graph = new ProgramGraph(program);
        var viz = graph.All.Where(r => r.Resource["type"]!.GetValue<string>() == "kubernetes:helm.sh/v3:Release"
                && r.Resource["properties"]!["chart"]!.GetValue<string>() == "linkerd-viz")
            .ToDictionary(r => graph.Provider(r.Name) ?? "", r => r.Name);
        var early = new List<string>();
        foreach (var (name, resource) in graph.All)
        {
            if (resource["type"]!.GetValue<string>() is not ("kubernetes:apps/v1:Deployment" or "kubernetes:apps/v1:StatefulSet")) continue;
            if (resource["properties"]!["metadata"]!["namespace"]?.GetValue<string>() != "ecommerce") continue;
            if (!viz.TryGetValue(graph.Provider(name) ?? "", out var vizRelease) || !graph.Ancestors(name).Contains(vizRelease)) early.Add(name);
        }
        return early;
    }

    [Theory]
    [MemberData(nameof(StackCorpus.LinkerdNames), MemberType = typeof(StackCorpus))]
    public void Linkerd_app_pods_are_created_only_after_the_tap_injector(string name)
    {
        var program = CorpusRender.Of(name).Program;
        Assert.Contains(new ProgramGraph(program).All, r => r.Resource["type"]!.GetValue<string>() == "kubernetes:apps/v1:Deployment");
        Assert.Empty(AppPodsBeforeTapInjector(program));
    }

    [Theory]
    [MemberData(nameof(StackCorpus.LinkerdNames), MemberType = typeof(StackCorpus))]
    public void Linkerd_meshed_pods_are_admitted_where_the_cluster_default_pod_security_is_baseline_or_restricted(string name)
    {
        var program = CorpusRender.Of(name).Program;
        foreach (var level in new[] { "baseline", "restricted" })
            Assert.True(PodSecurityAdmission.Refused(program, level) is [], $"{level}: {string.Join(", ", PodSecurityAdmission.Refused(program, level))}");
    }

    /// <summary>Seeded faults: the ecommerce namespace without its label, and an app Deployment that no longer waits for viz.</summary>
    [Fact]
    public void Seeded_faults_an_unlabelled_meshed_namespace_and_an_app_that_does_not_wait_for_viz_are_caught()
    {
        var program = CorpusRender.Of("generated:linkerd-1-cluster").Program.DeepClone().AsObject();
        var resources = program["resources"]!.AsObject();
        var ns = resources.Single(r => r.Value!["type"]!.GetValue<string>() == "kubernetes:core/v1:Namespace"
            && r.Value["properties"]!["metadata"]!["name"]!.GetValue<string>() == "ecommerce");
        ns.Value!["properties"]!["metadata"]!["labels"]!.AsObject().Remove(PodSecurityAdmission.EnforceLabel);
        Assert.Contains(PodSecurityAdmission.Refused(program, "restricted"), r => r.Contains("in ecommerce", StringComparison.Ordinal));
        Assert.Empty(PodSecurityAdmission.Refused(program, "privileged"));

        ns.Value["options"]!["dependsOn"] = new JsonArray(resources.Where(r => r.Key.EndsWith("-linkerd-control-plane", StringComparison.Ordinal)).Select(r => (JsonNode)$"${{{r.Key}}}").ToArray());
        Assert.NotEmpty(AppPodsBeforeTapInjector(program));
    }
}
