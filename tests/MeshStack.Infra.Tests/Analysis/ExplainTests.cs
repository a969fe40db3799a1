using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Analysis;

/// <summary><c>explain</c> on both meshes: allowed and denied calls, a canary header, a retried route, unmeshed callers.</summary>
public class ExplainTests
{
    /// <summary>explain on a fixture stack (args[0] names it), not the repository's file a user edits.</summary>
    private static CliResult Explain(params string[] args) => ExplainFile(StackFixtures.File(args[0]), args[1..]);

    private static CliResult ExplainFile(string stackFile, params string[] args) =>
        InProcess.Run(Repo.Root, null, ["explain", "--config", stackFile, .. args]);

    private static JsonNode Json(params string[] args) => JsonOfFile(StackFixtures.File(args[0]), args[1..]);

    private static JsonNode JsonOfFile(string stackFile, params string[] args)
    {
        var result = ExplainFile(stackFile, [.. args, "--format", "json"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    }

    private static List<string> Backends(JsonNode answer) =>
        answer["route"]!["backends"]!.AsArray().Select(b => $"{b!["subset"]?.GetValue<string>() ?? b["name"]!.GetValue<string>()}={b["weight"]}").ToList();

    [Theory]
    [InlineData("dev", "linkerd")]
    [InlineData("prod", "istio")]
    public void A_declared_call_is_allowed_by_its_grant_and_routed_with_timeout_and_retries(string stack, string mesh)
    {
        var answer = Json(stack, "--from", "api-gateway", "--to", "order", "GET", "/orders/42");
        var verdicts = answer["authorization"]!.AsArray();
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.True(v!["verdict"]!["allowed"]!.GetValue<bool>()));
        var decidedBy = verdicts[0]!["verdict"]!["decidedBy"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Contains(decidedBy, d => d.StartsWith("AuthorizationPolicy/ecommerce/", StringComparison.Ordinal) && d.Contains("order", StringComparison.Ordinal));
        Assert.Equal("5s", answer["route"]!["timeout"]!.GetValue<string>());
        Assert.Equal(2, answer["route"]!["retryAttempts"]!.GetValue<int>());
        // the route for GET /orders/42 is get-order: the exact /orders rules before it did not match
        Assert.Contains(answer["route"]!["notMatched"]!.AsArray(), n => n!.GetValue<string>().Contains("/orders", StringComparison.Ordinal));
        Assert.Equal(mesh == "istio" ? "VirtualService/ecommerce/order" : "HTTPRoute/ecommerce/order-get-order", answer["route"]!["object"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("multi-linkerd")]
    [InlineData("prod")]
    public void An_undeclared_call_is_denied_naming_the_policies_that_decided(string stack)
    {
        // strict stacks: under Linkerd permissive (dev) any client reaches declared routes (Security/PermissiveMtlsTests)
        var text = Explain(stack, "--from", "frontend", "--to", "payment", "POST", "/payments");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("authorization (Deployment/ecommerce/payment): DENY", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("  by ", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("retries: none", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_istio_canary_header_sends_everything_to_v2_and_its_absence_splits_by_the_weight() =>
        AssertIstioCanaryExplained(StackFixtures.File("prod"));

    /// <summary>
    /// explain on an Istio stack with a static canary on order and a header; the split expected is the stack's own
    /// weight (<c>RoutineEditTests</c> runs this on the repository's prod with the README's weight edit applied).
    /// </summary>
    internal static void AssertIstioCanaryExplained(string stackFile)
    {
        var config = Stacks.ConfigOfFile(stackFile);
        var canary = config.Traffic.Canary!;
        var header = canary.Header!;
        var withHeader = JsonOfFile(stackFile, "--from", "api-gateway", "--to", "order", "GET", "/orders", "--header", $"{header.Name}={header.Value}");
        Assert.Equal(["v2=100"], Backends(withHeader));
        Assert.Equal("list-orders-canary-header", withHeader["route"]!["rule"]!.GetValue<string>());
        var last = config.Clusters[^1].Name;
        var without = JsonOfFile(stackFile, "--from", "api-gateway", "--to", "order", "GET", "/orders", "--cluster", last);
        Assert.Equal([$"v1={100 - canary.Weight}", $"v2={canary.Weight}"], Backends(without));
        Assert.Equal(last, without["cluster"]!.GetValue<string>());
        Assert.Contains(without["route"]!["notMatched"]!.AsArray(), n => n!.GetValue<string>().StartsWith($"list-orders-canary-header: header {header.Name}", StringComparison.Ordinal));
    }

    [Fact]
    public void The_linkerd_canary_header_picks_the_v2_backend()
    {
        var dir = Repo.TempDir();
        var file = Path.Combine(dir, "Pulumi.gen.yaml");
        File.WriteAllText(file, StackCorpus.Get("generated:linkerd-1-cluster").Yaml);
        var withHeader = JsonNode.Parse(InProcess.Run(dir, null, "explain", "--config", file, "--from", "api-gateway", "--to", "order", "GET", "/orders", "--header", "x-canary-user=internal", "--format", "json").Stdout)!;
        Assert.Equal(["order-v2=1"], Backends(withHeader));
        var without = JsonNode.Parse(InProcess.Run(dir, null, "explain", "--config", file, "--from", "api-gateway", "--to", "order", "GET", "/orders", "--format", "json").Stdout)!;
        Assert.Equal(["order-v1=80", "order-v2=20"], Backends(without));
    }

    [Fact]
    public void Writes_are_not_retried()
    {
        foreach (var stack in new[] { "dev", "prod" })
            Assert.Equal(0, Json(stack, "--from", "api-gateway", "--to", "order", "POST", "/orders")["route"]!["retryAttempts"]!.GetValue<int>());
    }

    [Fact]
    public void An_unmeshed_caller_is_admitted_on_declared_routes_under_linkerd_permissive_and_denied_under_strict()
    {
        // dev: Linkerd, permissive: the app Servers admit unauthenticated clients on every declared route
        var permissive = Json("dev", "--from", "unmeshed", "--to", "order", "GET", "/orders");
        Assert.Null(permissive["route"]);
        Assert.Null(permissive["callerIdentity"]);
        Assert.Contains("all-unauthenticated", permissive["mtls"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(permissive["authorization"]![0]!["verdict"]!["allowed"]!.GetValue<bool>());
        // prod: Istio, strict
        var strict = Json("prod", "--from", "unmeshed", "--to", "order", "GET", "/orders");
        Assert.StartsWith("STRICT", strict["mtls"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(strict["authorization"]!.AsArray(), v => Assert.False(v!["verdict"]!["allowed"]!.GetValue<bool>()));
    }

    [Fact]
    public void The_ingress_is_routed_by_the_edge_virtual_service()
    {
        var answer = Json("prod", "--from", "ingress", "--to", "api-gateway", "GET", "/orders");
        Assert.Equal("VirtualService/ecommerce/edge-api-example-com", answer["route"]!["object"]!.GetValue<string>());
        Assert.Equal("cluster.local/ns/istio-ingress/sa/istio-ingress", answer["callerIdentity"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--from", "nobody")]
    [InlineData("--to", "nothing")]
    public void Unknown_services_are_refused_with_exit_1(string option, string value)
    {
        var args = new List<string> { "dev", "--from", "api-gateway", "--to", "order", "GET", "/orders" };
        args[args.IndexOf(option) + 1] = value;
        var result = Explain([.. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(value, result.Stderr, StringComparison.Ordinal);
    }
}
