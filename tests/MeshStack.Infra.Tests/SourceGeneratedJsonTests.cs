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

    public sealed record UnlistedArgs(string Value) : IProviderArgs;
}
