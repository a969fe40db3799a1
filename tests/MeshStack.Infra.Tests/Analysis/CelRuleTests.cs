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
        // the rules really ran: most outcomes are evaluated, and those that were not are listed by rule
        var evaluated = outcomes.Count(x => x.Outcome.Evaluated);
        Assert.True(evaluated > 50, $"{name}: only {evaluated} evaluated rule applications");
        var skipped = outcomes.Where(x => !x.Outcome.Evaluated).Select(x => x.Outcome.Rule).Distinct().ToList();
        Assert.True(skipped.All(NeedsKubernetesExtension), "not evaluated, and not for a Kubernetes extension:\n" + string.Join("\n", skipped));
    }

    /// <summary>Kubernetes adds CEL libraries (strings split/lowerAscii, url, quantity, ip, cidr, ...) that core CEL lacks.</summary>
    private static bool NeedsKubernetesExtension(string rule) =>
        new[] { ".split(", "lowerAscii", "upperAscii", "url(", "isURL", "quantity(", "isQuantity", "ip(", "isIP", "cidr(", "isCIDR", ".indexOf(", ".lastIndexOf(", "substring(", ".replace(", ".join(", "format(", "isSorted", ".sum(", ".min(", ".max(", "reverse(" }
            .Any(f => rule.Contains(f, StringComparison.Ordinal));

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
