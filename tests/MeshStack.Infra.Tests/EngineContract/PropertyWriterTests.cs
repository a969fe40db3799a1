using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.EngineContract;

/// <summary>
/// The program is written straight from the typed inputs (<see cref="InputSerializer.WriteProperties"/>); the rules read
/// every Kubernetes object as a tree of its own (<see cref="InputSerializer.KubernetesObject"/>), and the tests read
/// properties back (<see cref="InputSerializer.Properties"/>). All must say the same thing, resource by resource, or the
/// analysis would judge a program Pulumi never sees.
/// </summary>
public class PropertyWriterTests
{
    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_resource_is_written_as_its_tree_says(string name)
    {
        var (_, graph) = CorpusRender.GraphOf(name);
        Assert.All(graph.Resources, r =>
        {
            var written = Written(r);
            Assert.True(JsonNode.DeepEquals(InputSerializer.Properties(r), written), r.ToString());
            if (RulesView(r) is { } rules) Assert.True(JsonNode.DeepEquals(rules, written), r.ToString());
        });
    }

    /// <summary>What the rules read of a resource, as its properties: each object whole, a typed resource less its type meta.</summary>
    private static JsonObject? RulesView(Resource r)
    {
        if (r.Inputs is ConfigGroupArgs group)
            return new JsonObject { ["objs"] = new JsonArray(group.Objects.Select(o => (JsonNode)InputSerializer.KubernetesObject(o)).ToArray()) };
        if (r.Inputs is RawInputs or ReadInputs or IProviderArgs) return null;
        var whole = InputSerializer.KubernetesObject(r.Inputs);
        whole.Remove("apiVersion");
        whole.Remove("kind");
        return whole;
    }

    [Fact]
    public void A_typed_kind_inside_a_ConfigGroup_gets_its_apiVersion_and_kind_first()
    {
        // no stack puts a KubernetesClient kind in a ConfigGroup today; the writer must still give it its type meta
        var group = new Resource("objs", TypeTokens.ConfigGroup, new ConfigGroupArgs
        {
            Objects = [new V1Namespace { ApiVersion = "stale/v0", Kind = "Stale", Metadata = new V1ObjectMeta { Name = "shop" } }],
        }, new ResourceOptions(), cluster: "east");
        var written = Written(group);
        Assert.Equal("""{"objs":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}]}""", written.ToJsonString());
        Assert.True(JsonNode.DeepEquals(InputSerializer.Properties(group), written));
    }

    [Fact]
    public void A_typed_resource_leaves_its_type_meta_to_the_type_token()
    {
        var ns = new Resource("ns", "kubernetes:core/v1:Namespace",
            new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "shop" } }, new ResourceOptions(), cluster: "east");
        Assert.Equal("""{"metadata":{"name":"shop"}}""", Written(ns).ToJsonString());
    }

    private static JsonNode Written(Resource r)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) InputSerializer.WriteProperties(writer, r);
        return JsonNode.Parse(stream.ToArray())!;
    }
}
