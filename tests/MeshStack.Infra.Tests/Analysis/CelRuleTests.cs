using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Analysis.Cel;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Analysis;

/// <summary>
/// The x-kubernetes-validations (CEL) rules of the CRDs we emit objects for, read from the upstream CRDs at run time
/// (Gateway API as Linkerd installs it and as the Gateway API release ships it, Istio, Flagger), evaluated offline on
/// every object of the stack corpus, and seeded faults the API server would reject.
/// </summary>
public class CelRuleTests
{
    private static readonly Lazy<IReadOnlyList<CrdSchema>> IstioCrds = new(() => Read("istio/crd-all.gen.yaml", "gateway-api", "flagger/crd.yaml"));
    private static readonly Lazy<IReadOnlyList<CrdSchema>> LinkerdCrds = new(() => Read("linkerd/crds", "flagger/crd.yaml"));

    private static IReadOnlyList<CrdSchema> Read(params string[] paths) =>
        CrdSchemaReader.Read(paths.Select(p => Path.Combine(Repo.Shared!, "upstream", p)));

    private static IReadOnlyList<CrdSchema> For(RenderModel model) => model.Mesh == MeshStack.Istio.IstioAnalysis.Instance ? IstioCrds.Value : LinkerdCrds.Value;

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Every_rendered_object_passes_the_cel_rules_of_its_crd(string name)
    {
        Assert.NotNull(Repo.Shared);
        var model = CorpusModel.Of(name);
        var crds = For(model);
        var validator = new CelValidator();
        var outcomes = (from o in model.Objects
                        let crd = crds.FirstOrDefault(c => c.ApiVersion == o.ApiVersion && c.Kind == o.Kind)
                        where crd is not null
                        from x in validator.Validate(crd, o.Object)
                        select (Object: o, Outcome: x)).ToList();
        Assert.Empty(outcomes.Where(x => x.Outcome.Failed).Select(x => $"{x.Object.Ref}: {x.Outcome.Message} at {x.Outcome.Path}"));
        // the rules really ran: every rule that applies on create is evaluated, Kubernetes library functions included
        var evaluated = outcomes.Count(x => x.Outcome.Evaluated);
        Assert.True(evaluated > 50, $"{name}: only {evaluated} evaluated rule applications");
        Assert.Empty(outcomes.Where(x => x.Outcome.Verdict == CelVerdict.NotEvaluated).Select(x => $"{x.Object.Ref} {x.Outcome.Path}: {x.Outcome.Rule}").Distinct());
    }

    public sealed record CelFault(string Stack, string What, Action<List<MeshStack.Security.Policy.RenderedObject>> Mutate, string Expected)
    {
        public override string ToString() => What;
    }

    public static TheoryData<CelFault> Faults => new()
    {
        new("stack:dev", "Linkerd: two RequestHeaderModifier filters in one HTTPRoute rule", o =>
        {
            var rule = o.Find("dev", "HTTPRoute", "order-list-orders")["spec"]!["rules"]![0]!.AsObject();
            var filter = new JsonObject { ["type"] = "RequestHeaderModifier", ["requestHeaderModifier"] = new JsonObject { ["remove"] = new JsonArray("x-a") } };
            rule["filters"] = new JsonArray(filter, filter.DeepClone());
        }, "dev/HTTPRoute/ecommerce/order-list-orders"),
        new("stack:dev", "Linkerd: a filter type without its field", o =>
            o.Find("dev", "HTTPRoute", "order-list-orders")["spec"]!["rules"]![0]!.AsObject()["filters"] = new JsonArray(new JsonObject { ["type"] = "RequestHeaderModifier" }),
            "dev/HTTPRoute/ecommerce/order-list-orders"),
        new("stack:prod", "Istio: a zero route timeout", o =>
            o.Find("east", "VirtualService", "order")["spec"]!["http"]![1]!["timeout"] = "0s", "east/VirtualService/ecommerce/order"),
        new("stack:prod", "Istio: a wildcard label value in an AuthorizationPolicy selector", o =>
            o.Find("east", "AuthorizationPolicy", "order-callers")["spec"]!["selector"]!["matchLabels"]!["app"] = "order*", "east/AuthorizationPolicy/ecommerce/order-callers"),
        // url(self).getScheme() in ["http", "https"] (Kubernetes URL library)
        new("stack:prod", "Istio: a JWKS URI that is a URL of another scheme (getScheme)", o =>
            o.Find("east", "RequestAuthentication", "api-gateway-jwt")["spec"]!["jwtRules"]![0]!["jwksUri"] = "ftp://auth.example.com/jwks.json", "east/RequestAuthentication/ecommerce/api-gateway-jwt"),
        new("stack:prod", "Istio: a JWKS URI that is no URL (url() fails: a non-numeric port)", o =>
            o.Find("east", "RequestAuthentication", "api-gateway-jwt")["spec"]!["jwtRules"]![0]!["jwksUri"] = "https://a:b:c/jwks.json", "east/RequestAuthentication/ecommerce/api-gateway-jwt"),
        new("stack:prod", "Istio: a relative JWKS URI (url() fails: not absolute)", o =>
            o.Find("east", "RequestAuthentication", "api-gateway-jwt")["spec"]!["jwtRules"]![0]!["jwksUri"] = "auth.example.com/jwks.json", "east/RequestAuthentication/ecommerce/api-gateway-jwt"),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_broken_object_is_rejected_by_MS108(CelFault fault)
    {
        var clean = CorpusModel.Of(fault.Stack);
        var rule = MeshStack.Analysis.Analyzer.Rules.Single(r => r.Id == "MS108");
        var crds = For(clean);
        Assert.Empty(rule.Check(clean.WithCrds(crds)));
        var broken = CorpusModel.Mutated(clean, fault.Mutate).WithCrds(crds);
        var findings = rule.Check(broken).ToList();
        Assert.True(findings.Any(f => f.Object.ToString() == fault.Expected && f.Level == FindingLevel.Error), $"{fault}: got\n" + string.Join("\n", findings));
    }

    private static CrdSchema Crd(IReadOnlyList<CrdSchema> crds, string apiVersion, string kind) => crds.Single(c => c.ApiVersion == apiVersion && c.Kind == kind);

    private static IReadOnlyList<CelOutcome> Outcomes(CrdSchema crd, string json, string rulePart) =>
        new CelValidator().Validate(crd, JsonNode.Parse(json)!.AsObject()).Where(x => x.Rule.Contains(rulePart, StringComparison.Ordinal)).ToList();

    /// <summary>isURL and url() on the rule of Istio's WasmPlugin (upstream CRD): an oci or https URL passes, another scheme and a bare host with a bad port fail.</summary>
    [Theory]
    [InlineData("oci://ghcr.io/acme/filter:1.0", CelVerdict.Passed)]
    [InlineData("https://example.com/filter.wasm", CelVerdict.Passed)]
    [InlineData("ghcr.io/acme/filter:1.0", CelVerdict.Passed)]
    [InlineData("ftp://example.com/filter.wasm", CelVerdict.Failed)]
    [InlineData("example.com:port/filter.wasm", CelVerdict.Failed)]
    public void IsURL_and_url_decide_the_istio_wasm_plugin_rule(string url, CelVerdict expected)
    {
        var crd = Crd(IstioCrds.Value, "extensions.istio.io/v1alpha1", "WasmPlugin");
        var outcome = Assert.Single(Outcomes(crd, $$$"""{"apiVersion":"extensions.istio.io/v1alpha1","kind":"WasmPlugin","metadata":{"name":"f"},"spec":{"url":"{{{url}}}"}}""", "isURL(self)"));
        Assert.Equal(expected, outcome.Verdict);
    }

    /// <summary>split() on the Gateway API Gateway's infrastructure label rule (upstream CRD): a label key's prefix must stay under 253 characters.</summary>
    [Theory]
    [InlineData(10, CelVerdict.Passed)]
    [InlineData(252, CelVerdict.Passed)]
    [InlineData(253, CelVerdict.Failed)]
    public void Split_decides_the_gateway_infrastructure_label_rule(int prefix, CelVerdict expected)
    {
        var crd = Crd(Read("gateway-api"), "gateway.networking.k8s.io/v1", "Gateway");
        var key = new string('a', prefix) + "/name";
        var json = $$$$$"""{"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"g"},"spec":{"gatewayClassName":"c","listeners":[{"name":"http","port":80,"protocol":"HTTP"}],"infrastructure":{"labels":{"{{{{{key}}}}}":"v"}}}}""";
        var outcome = Assert.Single(Outcomes(crd, json, "key.split(\"/\")"), x => x.Path == ".spec.infrastructure.labels");
        Assert.Equal(expected, outcome.Verdict);
    }

    /// <summary>
    /// A transition rule (GatewayClass controllerName: self == oldSelf) applies only on update: the API server skips it on
    /// create (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go 402-412, v0.35.0), so MS108 neither passes nor fails it.
    /// </summary>
    [Fact]
    public void A_transition_rule_is_reported_as_applying_only_on_update()
    {
        var crd = Crd(Read("gateway-api"), "gateway.networking.k8s.io/v1", "GatewayClass");
        var outcome = Assert.Single(Outcomes(crd, """{"apiVersion":"gateway.networking.k8s.io/v1","kind":"GatewayClass","metadata":{"name":"c"},"spec":{"controllerName":"example.com/gateway"}}""", "oldSelf"));
        Assert.Equal(CelVerdict.OnlyOnUpdate, outcome.Verdict);
        Assert.False(outcome.Failed);
        Assert.False(outcome.Evaluated);
    }

    /// <summary>The URL library's documented examples (kubernetes/apiserver pkg/cel/library/urls.go 30-56, v0.35.0) and its accessors.</summary>
    [Fact]
    public void The_url_library_reads_urls_as_kubernetes_does()
    {
        var full = KubernetesUrl.From("https://user:pass@example.com:80/path?query=val#fragment");
        Assert.Equal(("https", "example.com:80", "example.com", "80", "/path", "query=val"), (full.Scheme, full.Host, full.Hostname, full.Port, full.Path, full.Query));
        Assert.Equal("", KubernetesUrl.From("/absolute-path").Scheme);
        Assert.Equal("::1", KubernetesUrl.From("http://[::1]:8080/").Hostname);
        Assert.True(KubernetesUrl.IsUrl("https://user:pass@example.com:80/path?query=val#fragment"));
        Assert.True(KubernetesUrl.IsUrl("/absolute-path"));
        Assert.False(KubernetesUrl.IsUrl("https://a:b:c/"));
        Assert.False(KubernetesUrl.IsUrl("../relative-path"));
        Assert.False(KubernetesUrl.IsUrl(""));
        Assert.False(KubernetesUrl.IsUrl("http://exa mple.com/"));
        Assert.False(KubernetesUrl.IsUrl("http://example.com/%zz"));
        Assert.Contains("invalid port", Assert.Throws<CelEvaluationError>(() => KubernetesUrl.From("https://a:b:c/")).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The library functions no rule of the emitted CRDs uses today, through the evaluator as a CRD rule would call them
    /// (a one-field schema written here): each passes on a value that satisfies it and fails on one that does not.
    /// </summary>
    [Theory]
    [InlineData("self.lowerAscii() == self", "abc-1", "aBc-1")]
    [InlineData("self.upperAscii() == self", "ABC-1", "aBC-1")]
    [InlineData("url(self).getHost() == 'example.com:80'", "https://example.com:80/x", "https://example.com/x")]
    [InlineData("url(self).getHostname() == 'example.com'", "https://example.com:80/x", "https://example.org:80/x")]
    [InlineData("url(self).getPort() == '80'", "https://example.com:80/x", "https://example.com/x")]
    [InlineData("isURL(self)", "/absolute-path", "../relative-path")]
    public void A_library_function_passes_and_fails_as_its_value_says(string rule, string good, string bad)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["value"] = new JsonObject { ["type"] = "string", ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = rule }) },
            },
        };
        var crd = new CrdSchema("example.com", "v1", "Thing", schema, "test");
        CelVerdict Verdict(string value) => Assert.Single(new CelValidator().Validate(crd, new JsonObject { ["value"] = value })).Verdict;
        Assert.Equal(CelVerdict.Passed, Verdict(good));
        Assert.Equal(CelVerdict.Failed, Verdict(bad));
    }

    [Fact]
    public void Check_crds_rejects_a_hand_edited_render_and_passes_the_clean_one()
    {
        var crds = new[] { "--crds", Path.Combine(Repo.Shared!, "upstream", "istio", "crd-all.gen.yaml") };
        Assert.Equal(0, InProcess.Run(Repo.Root, null, ["check", "prod", .. crds]).ExitCode);
        var outDir = Path.Combine(Repo.TempDir(), "prod");
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", "prod", "--out", outDir).ExitCode);
        var vs = Path.Combine(outDir, "manifests", "east", "ecommerce-virtualservice-payment.yaml");
        File.WriteAllText(vs, File.ReadAllText(vs).Replace("timeout: \"10s\"", "timeout: \"0s\"", StringComparison.Ordinal));
        var result = InProcess.Run(Repo.Root, null, ["check", "--dir", outDir, .. crds]);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("error MS108 east/VirtualService/ecommerce/payment: the API server rejects it: must be a valid duration greater than 1ms", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, InProcess.Run(Repo.Root, null, "check", "prod", "--crds", Path.Combine(Repo.TempDir(), "missing")).ExitCode);
    }
}
