using System.Text.Json.Nodes;
using MeshStack.Analysis;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Analysis;

/// <summary>
/// MS603's chain check: each cluster's issuer (Istio's cacerts ca-cert.pem, Linkerd's identity.issuer.tls.crtPEM) must be
/// an intermediate CA signed by the root the clusters trust, with its own key and (Istio) a chain to that root. The
/// upstream checks these stand for are cited in IssuerChainCheck: istiod verifies cacerts through cert-chain.pem to
/// root-cert.pem and refuses a non-CA signer (istio security/pkg/pki/util/keycertbundle.go 330-362,
/// security/pkg/pki/ca/ca.go 298-325, release-1.31); Linkerd's identity controller verifies the issuer against the trust
/// anchors and refuses a non-CA (linkerd2 pkg/identity/service.go 125-142, edge-26.8.3).
/// </summary>
public class TrustChainTests
{
    public sealed record Chain(string Stack, string Intermediate, string Root, string Where)
    {
        public override string ToString() => $"{Stack} {Intermediate}";
    }

    public static TheoryData<Chain> Chains => new()
    {
        new("stack:prod", "east-istio-ca-cert", "istio-root-ca", "east/Secret/istio-system/cacerts"),
        new("generated:istio-1-cluster", "east-istio-ca-cert", "istio-root-ca", "east/Secret/istio-system/cacerts"),
        new("stack:multi-linkerd", "west-linkerd-issuer-cert", "linkerd-trust-anchor", "west/HelmRelease/linkerd/linkerd-control-plane"),
        new("stack:dev", "dev-linkerd-issuer-cert", "linkerd-trust-anchor", "dev/HelmRelease/linkerd/linkerd-control-plane"),
    };

    private static IEnumerable<Finding> Ms603(RenderModel model) => Analyzer.Run(model).Findings.Where(f => f.Rule == "MS603");

    [Theory]
    [MemberData(nameof(Chains))]
    public void A_clean_render_chains_every_issuer_to_the_shared_root(Chain c)
    {
        var model = CorpusModel.Of(c.Stack);
        var chains = model.Mesh.IssuerChains(model).ToList();
        // one issuer per cluster, each a certificate the program makes and signs with the root: the check had something to follow
        Assert.Equal(model.Clusters.Count, chains.Count);
        Assert.All(chains, chain =>
        {
            var cert = model.TlsResource(OutputReference.Single(chain.Cert)?.Resource);
            Assert.NotNull(cert);
            Assert.Equal($"${{{c.Root}-cert.certPem}}", OutputReference.Text(cert!.Properties["caCertPem"]!.GetValue<string>()));
        });
        Assert.Empty(Ms603(model).Select(f => f.ToString()));
    }

    public sealed record ChainFault(string What, Action<Chain, List<ProgramResource>> Mutate, string Expected)
    {
        public override string ToString() => What;
    }

    private static JsonObject Props(List<ProgramResource> r, string name) => r.Single(x => x.Name == name).Properties;

    public static TheoryData<ChainFault> ChainFaults => new()
    {
        new("intermediate signed by another root", (c, r) =>
        {
            // a second root, as complete as the real one: only the signature is wrong
            var key = r.Single(x => x.Name == $"{c.Root}-key");
            var cert = r.Single(x => x.Name == $"{c.Root}-cert");
            r.Add(key with { Name = "other-root-key", Properties = (JsonObject)key.Properties.DeepClone() });
            var other = (JsonObject)cert.Properties.DeepClone();
            other["privateKeyPem"] = "${other-root-key.privateKeyPem}";
            r.Add(cert with { Name = "other-root-cert", Properties = other });
            Props(r, c.Intermediate)["caCertPem"] = "${other-root-cert.certPem}";
            Props(r, c.Intermediate)["caPrivateKeyPem"] = "${other-root-key.privateKeyPem}";
        }, "not by the root the clusters trust"),
        new("intermediate signed with a key that is not the root's", (c, r) =>
            Props(r, c.Intermediate)["caPrivateKeyPem"] = $"${{{c.Intermediate[..^"-cert".Length]}-key.privateKeyPem}}", "not the root's key"),
        new("intermediate that is not a CA", (c, r) => Props(r, c.Intermediate)["isCaCertificate"] = false, "is not a CA"),
        new("intermediate not allowed to sign", (c, r) =>
        {
            var uses = Props(r, c.Intermediate)["allowedUses"]!.AsArray();
            uses.Remove(uses.First(u => u!.GetValue<string>() == "cert_signing"));
        }, "lack cert_signing"),
        new("root that is not a CA", (c, r) => Props(r, $"{c.Root}-cert")["isCaCertificate"] = false, "is not a CA allowed to sign"),
    };

    public static TheoryData<Chain, ChainFault> Faults
    {
        get
        {
            var data = new TheoryData<Chain, ChainFault>();
            foreach (var c in Chains) foreach (var f in ChainFaults) data.Add(c, f);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_broken_chain_is_found_on_the_cluster_that_loads_it(Chain c, ChainFault fault)
    {
        var clean = CorpusModel.Of(c.Stack);
        var broken = CorpusModel.MutatedTls(clean, r => fault.Mutate(c, r));
        var findings = Ms603(broken).ToList();
        Assert.True(findings.Any(f => f.Object.ToString() == c.Where && f.Message.Contains(fault.Expected, StringComparison.Ordinal) && f.Level == FindingLevel.Error),
            $"{c} {fault}: got\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Istio_cacerts_with_another_cluster_key_or_a_chain_that_skips_the_root_is_found()
    {
        var prod = CorpusModel.Of("stack:prod");
        var wrongKey = CorpusModel.Mutated(prod, o => o.Find("east", "Secret", "cacerts")["stringData"]!["ca-key.pem"] = "${west-istio-ca-key.privateKeyPem}");
        Assert.Contains(Ms603(wrongKey), f => f.Object.ToString() == "east/Secret/istio-system/cacerts" && f.Message.Contains("does not match the key", StringComparison.Ordinal));
        var shortChain = CorpusModel.Mutated(prod, o => o.Find("east", "Secret", "cacerts")["stringData"]!["cert-chain.pem"] = "${east-istio-ca-cert.certPem}");
        Assert.Contains(Ms603(shortChain), f => f.Object.ToString() == "east/Secret/istio-system/cacerts" && f.Message.Contains("does not lead to the root", StringComparison.Ordinal));
    }

    /// <summary>Without cacerts istiod makes its own self-signed root (istio pilot/pkg/bootstrap/istio_ca.go 69-73, release-1.31): that cluster trusts nobody else.</summary>
    [Fact]
    public void An_istio_cluster_without_cacerts_is_found()
    {
        var prod = CorpusModel.Of("stack:prod");
        var broken = CorpusModel.Mutated(prod, o => o.RemoveAll(x => x.Cluster == "west" && x.Kind == "Secret" && x.Name == "cacerts"));
        Assert.Contains(Ms603(broken), f => f.Object.ToString() == "west/Secret/istio-system/cacerts" && f.Message.StartsWith("root-cert.pem differs", StringComparison.Ordinal));
    }

    [Fact]
    public void Linkerd_issuer_key_of_another_cluster_is_found()
    {
        var model = CorpusModel.MutatedReleases(CorpusModel.Of("stack:multi-linkerd"), r =>
        {
            if (r.Cluster != "west" || r.Chart != "linkerd-control-plane") return r;
            var values = (JsonObject)r.Values.DeepClone();
            values["identity"]!["issuer"]!["tls"]!["keyPEM"] = "${east-linkerd-issuer-key.privateKeyPem}";
            return r with { Values = values };
        });
        Assert.Contains(Ms603(model), f => f.Object.ToString() == "west/HelmRelease/linkerd/linkerd-control-plane" && f.Message.Contains("does not match the key", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_dir_follows_the_chain_through_the_program_of_a_render()
    {
        var outDir = Path.Combine(Repo.TempDir(), "prod");
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "render", "prod", "--out", outDir).ExitCode);
        Assert.Equal(0, InProcess.Run(Repo.Root, null, "check", "--dir", outDir).ExitCode);
        // west's intermediate signed by east's intermediate instead of the root (a hand edit of Main.yaml)
        var main = Path.Combine(outDir, "Main.yaml");
        var text = File.ReadAllText(main);
        var at = text.IndexOf("  west-istio-ca-cert:", StringComparison.Ordinal);
        Assert.True(at > 0);
        var edited = text[..at] + text[at..].ReplaceFirst("caCertPem: \"${istio-root-ca-cert.certPem}\"", "caCertPem: \"${east-istio-ca-cert.certPem}\"");
        File.WriteAllText(main, edited);
        var result = InProcess.Run(Repo.Root, null, "check", "--dir", outDir);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("error MS603 west/Secret/istio-system/cacerts: ca-cert.pem is west-istio-ca-cert, signed by ${east-istio-ca-cert.certPem}", result.Stdout, StringComparison.Ordinal);
    }
}

internal static class FirstReplacement
{
    public static string ReplaceFirst(this string text, string old, string replacement)
    {
        var i = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{old}' is not in the text");
        return text[..i] + replacement + text[(i + old.Length)..];
    }
}
