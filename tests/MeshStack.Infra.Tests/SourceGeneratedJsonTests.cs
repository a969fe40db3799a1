using k8s.Models;
using MeshStack.Graph;

namespace MeshStack.Tests;

/// <summary>
/// Inputs are serialized from source-generated metadata only. A kind or provider input that is not listed must fail
/// on its first use in every build: a reflection fallback would work under the JIT and break the Native AOT compiler.
/// </summary>
public class SourceGeneratedJsonTests
{
    [Fact]
    public void A_Kubernetes_kind_without_generated_metadata_is_refused_naming_the_type()
    {
        var policy = new V1NetworkPolicy { Metadata = new V1ObjectMeta { Name = "deny" }, Spec = new V1NetworkPolicySpec() };
        var error = Assert.Throws<NotSupportedException>(() => InputSerializer.KubernetesObject(policy));
        Assert.Contains(nameof(V1NetworkPolicy), error.Message);
    }

    [Fact]
    public void A_provider_input_without_generated_metadata_is_refused_naming_the_type()
    {
        var resource = new Resource("r", "random:index/randomUuid:RandomUuid", new UnlistedArgs("x"), new ResourceOptions(), cluster: null);
        var error = Assert.Throws<InvalidOperationException>(() => InputSerializer.Properties(resource));
        Assert.Contains(nameof(UnlistedArgs), error.Message);
    }

    [Fact]
    public void Listed_kinds_keep_KubernetesClients_conventions()
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop", CreationTimestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) } };
        var json = InputSerializer.KubernetesObject(ns);
        // apiVersion/kind from the entity attribute first, camelCase, nulls omitted, RFC 3339 timestamps
        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"creationTimestamp":"2026-01-02T03:04:05Z","name":"shop"}}""",
            json.ToJsonString());
    }

    [Fact]
    public void Numbers_keep_every_conversion_and_their_text()
    {
        var deployment = new V1Deployment { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1DeploymentSpec { Replicas = 3 } };
        var replicas = InputSerializer.KubernetesObject(deployment)["spec"]!["replicas"]!.AsValue();
        // rules read replicas as int, others as long: a node typed as one number refuses the other
        Assert.True(replicas.TryGetValue<int>(out var i) && i == 3);
        Assert.True(replicas.TryGetValue<long>(out var l) && l == 3);
        Assert.Equal("3", replicas.ToJsonString());
    }

    [Fact]
    public void Strings_are_decoded_once_and_exactly()
    {
        const string name = "a+b<c>\u00e9\"q\"";
        var json = InputSerializer.KubernetesObject(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        var node = json["metadata"]!["name"]!.AsValue();
        Assert.Equal(name, node.GetValue<string>());
        // the analysis reads names and labels many times: each read returns the one decoded string, not a new copy
        Assert.Same(node.GetValue<string>(), node.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(name), node.ToJsonString());
    }

    public sealed record UnlistedArgs(string Value) : IProviderArgs;
}
