using MeshStack.Config;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.BadInput;

/// <summary>What the stricter reading still accepts: the refusals stop at bad input.</summary>
public class AcceptedInputTests
{
    private const string One = "config:\n  mesh-stack:mesh: istio\n  mesh-stack:clusters:\n    - name: east\n      context: ctx-east\n";

    [Fact]
    public void An_explicit_str_tag_keeps_a_number_like_tag_a_string()
    {
        var config = Stacks.ConfigFromYaml(One + "  mesh-stack:images:\n    registry: ghcr.io/acme\n    tag: !!str 1.20\n");
        Assert.Equal("1.20", config.Images.Tag);
    }

    [Fact]
    public void Pulumi_stack_file_keys_and_an_encrypted_kubeconfig_are_accepted()
    {
        var config = Stacks.ConfigFromYaml("secretsprovider: passphrase\nencryptionsalt: v1:abc\n" + One + "  mesh-stack:kubeconfig:\n    secure: v1:AAAA\n");
        Assert.True(config.HasKubeconfig);
    }

    [Fact]
    public void A_kubeconfig_from_the_engine_is_accepted_decrypted()
    {
        var raw = RawConfig.FromEngineJson("""{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\"}]","mesh-stack:kubeconfig":"apiVersion: v1"}""");
        Assert.True(StackConfigBinder.Bind("dev", raw, EcommerceApp.Declare()).HasKubeconfig);
    }

    [Fact]
    public void Other_packages_keys_are_not_ours_to_check()
    {
        var config = Stacks.ConfigFromYaml(One + "  kubernetes:context: x\n  pulumi:tags: {a: b}\n  aws:region: eu-west-1\n");
        Assert.Single(config.Clusters);
    }

    [Fact]
    public void Anchors_and_aliases_within_the_limits_are_read()
    {
        var config = Stacks.ConfigFromYaml("config:\n  mesh-stack:mesh: istio\n  mesh-stack:clusters:\n    - &east {name: east, context: ctx-east, server: 'https://east.example.com'}\n    - {name: west, context: ctx-west, server: 'https://west.example.com', failover: [east]}\n");
        Assert.Equal(["east", "west"], config.Clusters.Select(c => c.Name));
    }

    [Fact]
    public void A_stack_file_with_a_byte_order_mark_and_CRLF_line_ends_is_read()
    {
        var config = Stacks.ConfigFromYaml("\uFEFF" + One.Replace("\n", "\r\n"));
        Assert.Equal("east", Assert.Single(config.Clusters).Name);
    }
}
