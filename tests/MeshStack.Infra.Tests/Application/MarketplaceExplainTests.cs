using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Application;

/// <summary>
/// <c>explain</c> through the marketplace's own host (the app from its C#, not from config): a declared call is allowed
/// by the callee's policy, an undeclared one denied, on either mesh.
/// </summary>
public class MarketplaceExplainTests
{
    private static JsonObject Explain(string stack, params string[] call)
    {
        var (dir, file) = Marketplace.Write(stack, Marketplace.WithoutApp(stack));
        var result = Marketplace.HostRun(dir, ["explain", "--config", file, .. call, "--format", "json"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    private static JsonObject Verdict(JsonObject explanation) =>
        Assert.Single(explanation["authorization"]!.AsArray())!["verdict"]!.AsObject();

    [Theory]
    [InlineData("market-istio-1", "cluster.local/ns/market/sa/storefront")]
    [InlineData("market-linkerd-1", "storefront.market.serviceaccount.identity.linkerd.cluster.local")]
    public void A_declared_call_is_explained_as_allowed_and_an_undeclared_one_as_denied(string stack, string storefront)
    {
        var allowed = Explain(stack, "--from", "storefront", "--to", "catalog", "GET", "/listings/7");
        Assert.Equal(storefront, allowed["callerIdentity"]!.GetValue<string>());
        Assert.True(Verdict(allowed)["allowed"]!.GetValue<bool>(), allowed.ToJsonString());

        // cart declares no call to payments; storefront calls catalog's reads, not its DELETE
        Assert.False(Verdict(Explain(stack, "--from", "cart", "--to", "payments", "POST", "/authorizations"))["allowed"]!.GetValue<bool>());
        Assert.False(Verdict(Explain(stack, "--from", "storefront", "--to", "catalog", "DELETE", "/listings/7"))["allowed"]!.GetValue<bool>());
        Assert.False(Verdict(Explain(stack, "--from", "unmeshed", "--to", "catalog", "GET", "/listings/7"))["allowed"]!.GetValue<bool>());
    }
}
