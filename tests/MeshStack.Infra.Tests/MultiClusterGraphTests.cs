using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Istio;
using MeshStack.Linkerd;
using MeshStack.MultiCluster;
using MeshStack.Pki;
using MeshStack.Tests.Support;
using IstioCrd = MeshStack.Crds.Networking.Istio.V1;

namespace MeshStack.Tests;

/// <summary>
/// The cross-cluster wiring for 1, 2 and 3 clusters of each mesh: shared trust (one root, an intermediate or issuer
/// per cluster), Istio's east-west gateways and remote secrets, Linkerd's multicluster install, credentials and
/// Links; every pairwise object built from the right cluster's outputs and living on the right provider.
/// </summary>
public partial class MultiClusterGraphTests
{
    private static readonly string[] Names = ["east", "west", "central"];

    /// <summary>A stack of <paramref name="count"/> clusters; with Istio each on its own network and failing over to the next (Linkerd takes neither).</summary>
    public static string StackYaml(string mesh, int count, bool networks = true, string? remoteDiscovery = null)
    {
        var clusters = string.Concat(Names.Take(count).Select((n, i) =>
            $"    - name: {n}\n      context: ctx-{n}\n      server: https://api.{n}.example.com:6443\n"
            + (networks && mesh == "istio" ? $"      network: net-{n}\n" : "")
            + (count > 1 && mesh == "istio" ? $"      failover: [{Names[(i + 1) % count]}]\n" : "")
            + (n == remoteDiscovery ? "      export: remote-discovery\n" : "")));
        return $"config:\n  mesh-stack:mesh: {mesh}\n  mesh-stack:replicas: 2\n  mesh-stack:clusters:\n{clusters}";
    }

    private static ResourceGraph Graph(string mesh, int count, bool networks = true, string? remoteDiscovery = null) =>
        Stacks.GraphFromYaml(StackYaml(mesh, count, networks, remoteDiscovery));

    public static TheoryData<string, int> MeshesAndSizes => new() { { "istio", 2 }, { "istio", 3 }, { "linkerd", 2 }, { "linkerd", 3 } };

    [GeneratedRegex(@"\$\{(?<target>[^}.\[]+)")]
    private static partial Regex Reference();

    /// <summary>The resources and variables a marked string refers to.</summary>
    private static HashSet<string> Targets(string marked) =>
        Reference().Matches(Expr.ToPulumiYaml(marked)).Select(m => m.Groups["target"].Value).ToHashSet();

    private static string Emitted(string marked) => Expr.ToPulumiYaml(marked);

    private static void OnProviderOf(Resource r, string cluster)
    {
        Assert.Equal(cluster, r.Cluster);
        Assert.Equal($"k8s-{cluster}", r.Options.Provider!.Name);
    }

    // ---------------------------------------------------------------- shared trust

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Istio_has_one_root_and_an_intermediate_per_cluster_in_cacerts_before_istiod(int count)
    {
        var graph = Graph("istio", count);
        var root = Assert.Single(graph.OfType(TypeTokens.TlsSelfSignedCert));
        Assert.Equal("istio-root-ca-cert", root.Name);
        var rootArgs = root.As<SelfSignedCertArgs>();
        Assert.True(rootArgs.IsCaCertificate);
        Assert.Equal(("Root CA", "Istio"), (rootArgs.Subject.CommonName, rootArgs.Subject.Organization));
        Assert.Equal(KeyAlgorithm.RSA, graph["istio-root-ca-key"].As<PrivateKeyArgs>().Algorithm);

        var intermediates = graph.OfType(TypeTokens.TlsLocallySignedCert).ToList();
        Assert.Equal(Names.Take(count).Select(n => $"{n}-istio-ca-cert"), intermediates.Select(r => r.Name));
        foreach (var cluster in Names.Take(count))
        {
            var ica = graph[$"{cluster}-istio-ca-cert"].As<LocallySignedCertArgs>();
            Assert.True(ica.IsCaCertificate);
            Assert.Contains(KeyUsage.CertSigning, ica.AllowedUses);
            // chained to the one root
            Assert.Equal("${istio-root-ca-cert.certPem}", Emitted(ica.CaCertPem));
            Assert.Equal("${istio-root-ca-key.privateKeyPem}", Emitted(ica.CaPrivateKeyPem));
            Assert.Equal($"${{{cluster}-istio-ca-csr.certRequestPem}}", Emitted(ica.CertRequestPem));
            var csr = graph[$"{cluster}-istio-ca-csr"].As<CertRequestArgs>();
            Assert.Equal(cluster, csr.Subject.Locality);
            Assert.Equal(["istiod.istio-system.svc"], csr.DnsNames!);

            var cacerts = graph[$"{cluster}-istio-cacerts"];
            OnProviderOf(cacerts, cluster);
            var secret = cacerts.As<V1Secret>();
            Assert.Equal(("cacerts", "istio-system"), (secret.Metadata.Name, secret.Metadata.NamespaceProperty));
            Assert.Null(secret.Data);
            var data = secret.StringData.ToDictionary(kv => kv.Key, kv => Emitted(kv.Value));
            Assert.Equal(new Dictionary<string, string>
            {
                ["ca-cert.pem"] = $"${{{cluster}-istio-ca-cert.certPem}}",
                ["ca-key.pem"] = $"${{{cluster}-istio-ca-key.privateKeyPem}}",
                ["root-cert.pem"] = "${istio-root-ca-cert.certPem}",
                ["cert-chain.pem"] = $"${{{cluster}-istio-ca-cert.certPem}}${{istio-root-ca-cert.certPem}}",
            }, data);
            Assert.Contains(graph[$"{cluster}-ns-istio-system"], cacerts.Options.DependsOn);
            // istiod reads its CA only at start
            Assert.Contains(cacerts, graph[$"{cluster}-istiod"].Options.DependsOn);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Linkerd_has_one_trust_anchor_and_an_issuer_per_cluster(int count)
    {
        var graph = Graph("linkerd", count);
        var anchor = Assert.Single(graph.OfType(TypeTokens.TlsSelfSignedCert), r => r.Name.StartsWith("linkerd-trust-anchor", StringComparison.Ordinal));
        Assert.Equal("linkerd-trust-anchor-cert", anchor.Name);
        foreach (var cluster in Names.Take(count))
        {
            var issuer = graph[$"{cluster}-linkerd-issuer-cert"].As<LocallySignedCertArgs>();
            Assert.Equal("${linkerd-trust-anchor-cert.certPem}", Emitted(issuer.CaCertPem));
            var values = graph[$"{cluster}-linkerd-control-plane"].As<HelmReleaseArgs>().Values;
            Assert.Equal("${linkerd-trust-anchor-cert.certPem}", Emitted(values["identityTrustAnchorsPEM"]!.GetValue<string>()));
            Assert.Equal($"${{{cluster}-linkerd-issuer-cert.certPem}}", Emitted(values["identity"]!["issuer"]!["tls"]!["crtPEM"]!.GetValue<string>()));
        }
        Assert.Equal(count, graph.Resources.Count(r => r.Name.EndsWith("-linkerd-issuer-cert", StringComparison.Ordinal)));
    }

    // ---------------------------------------------------------------- one cluster

    [Theory]
    [InlineData("istio")]
    [InlineData("linkerd")]
    public void A_single_cluster_has_no_cross_cluster_resources(string mesh)
    {
        var graph = Graph(mesh, 1);
        var names = graph.Resources.Select(r => r.Name).ToList();
        Assert.DoesNotContain(names, n => n.Contains("eastwest", StringComparison.Ordinal) || n.Contains("cross-network", StringComparison.Ordinal)
            || n.Contains("remote-secret", StringComparison.Ordinal) || n.Contains("reader-token", StringComparison.Ordinal)
            || n.Contains("multicluster", StringComparison.Ordinal) || n.Contains("cluster-credentials", StringComparison.Ordinal)
            || n.Contains("-link-", StringComparison.Ordinal) || n.Contains("remote-access", StringComparison.Ordinal));
        Assert.Empty(graph.Variables);
        Assert.DoesNotContain(graph.Resources, r => r.IsRead);
        // the services are not exported anywhere
        Assert.All(graph.Resources.Where(r => r.Name.EndsWith("-service", StringComparison.Ordinal)),
            r => Assert.False(r.As<V1Service>().Metadata.Labels.ContainsKey(LinkerdMultiCluster.ExportLabel)));
        if (mesh == "istio")
        {
            // shared trust is no cross-cluster resource: a single cluster has it too, so adding one later changes no CA
            Assert.True(graph.Contains("east-istio-cacerts"));
            var dr = TrafficObjects(graph, "east").OfType<IstioCrd.DestinationRule>().First();
            Assert.Null(dr.Spec!.TrafficPolicy!.LoadBalancer!.LocalityLbSetting);
        }
    }

    // ---------------------------------------------------------------- Istio multi-primary, multi-network

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Istio_remote_secrets_go_both_ways_built_from_the_source_clusters_reader_token(int count)
    {
        var graph = Graph("istio", count);
        var clusters = Names.Take(count).ToList();
        var remoteSecrets = graph.Resources.Where(r => r.Name.Contains("-istio-remote-secret-", StringComparison.Ordinal)).ToList();
        Assert.Equal(count * (count - 1), remoteSecrets.Count);

        foreach (var source in clusters)
        {
            // in the source cluster: the reader's token, waited for, made once the base chart has made the ServiceAccount
            var token = graph[$"{source}-istio-reader-token"];
            OnProviderOf(token, source);
            var tokenSecret = token.As<V1Secret>();
            Assert.Equal(("istio-reader-service-account-istio-remote-secret-token", "istio-system"), (tokenSecret.Metadata.Name, tokenSecret.Metadata.NamespaceProperty));
            Assert.Equal("kubernetes.io/service-account-token", tokenSecret.Type);
            Assert.Equal("istio-reader-service-account", tokenSecret.Metadata.Annotations["kubernetes.io/service-account.name"]);
            Assert.Equal("jsonpath={.data.token}", tokenSecret.Metadata.Annotations["pulumi.com/waitFor"]);
            Assert.Null(tokenSecret.Data);
            Assert.Contains(graph[$"{source}-istio-base"], token.Options.DependsOn);
            var decoded = Assert.Single(graph.Variables, v => v.Key == $"{source}-istio-reader-token-value").Value;
            Assert.Equal($"${{{source}-istio-reader-token.data.token}}", Emitted(decoded["fn::secret"]!["fn::fromBase64"]!.GetValue<string>()));

            foreach (var target in clusters.Where(c => c != source))
            {
                var remote = graph[$"{target}-istio-remote-secret-{source}"];
                OnProviderOf(remote, target);
                Assert.Contains(token, remote.Options.DependsOn);
                var secret = remote.As<V1Secret>();
                Assert.Equal(($"istio-remote-secret-{source}", "istio-system"), (secret.Metadata.Name, secret.Metadata.NamespaceProperty));
                Assert.Equal("true", secret.Metadata.Labels["istio/multiCluster"]);
                Assert.Equal(source, secret.Metadata.Annotations["networking.istio.io/cluster"]);
                var (key, kubeconfig) = Assert.Single(secret.StringData);
                Assert.Equal(source, key);
                AssertKubeconfig(kubeconfig, source, $"{source}-istio-reader-token", $"{source}-istio-reader-token-value");
            }
        }
    }

    /// <summary>A kubeconfig for <paramref name="cluster"/>: its configured server, and CA and token from its own token Secret only.</summary>
    private static void AssertKubeconfig(string marked, string cluster, string tokenSecret, string tokenVariable)
    {
        var text = Emitted(marked);
        Assert.Equal(new HashSet<string> { tokenSecret, tokenVariable }, Targets(marked));
        var doc = Yaml(text.Replace("${", "REF{", StringComparison.Ordinal));
        var c = doc["clusters"]!.AsArray().Single()!;
        Assert.Equal(cluster, c["name"]!.GetValue<string>());
        Assert.Equal($"https://api.{cluster}.example.com:6443", c["cluster"]!["server"]!.GetValue<string>());
        Assert.Equal($"REF{{{tokenSecret}.data[\"ca.crt\"]}}", c["cluster"]!["certificate-authority-data"]!.GetValue<string>());
        var user = doc["users"]!.AsArray().Single()!;
        Assert.Equal($"REF{{{tokenVariable}}}", user["user"]!["token"]!.GetValue<string>());
        Assert.Equal(cluster, doc["current-context"]!.GetValue<string>());
        Assert.Equal(cluster, doc["contexts"]!.AsArray().Single()!["context"]!["user"]!.GetValue<string>());
    }

    private static JsonObject Yaml(string text)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(text));
        return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? ToJson(YamlDotNet.RepresentationModel.YamlNode node) => node switch
    {
        YamlDotNet.RepresentationModel.YamlMappingNode m => new JsonObject(m.Children.Select(c =>
            KeyValuePair.Create(((YamlDotNet.RepresentationModel.YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlDotNet.RepresentationModel.YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlDotNet.RepresentationModel.YamlScalarNode s => s.Value,
        _ => null,
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Istio_each_network_gets_an_east_west_gateway_and_the_cross_network_gateway(int count)
    {
        var graph = Graph("istio", count);
        foreach (var cluster in Names.Take(count))
        {
            var release = graph[$"{cluster}-istio-eastwestgateway"];
            OnProviderOf(release, cluster);
            var args = release.As<HelmReleaseArgs>();
            Assert.Equal(("istio-eastwestgateway", "gateway", "istio-system"), (args.Name, args.Chart, args.Namespace));
            var istio = graph[$"{cluster}-istiod"].As<HelmReleaseArgs>();
            Assert.Equal((istio.Version, istio.RepositoryOpts), (args.Version, args.RepositoryOpts));
            Assert.Equal($"net-{cluster}", args.Values["networkGateway"]!.GetValue<string>());
            Assert.Contains(graph[$"{cluster}-istiod"], release.Options.DependsOn);

            var group = graph[$"{cluster}-cross-network-gateway"];
            OnProviderOf(group, cluster);
            Assert.Contains(release, group.Options.DependsOn);
            Assert.Contains(graph[$"{cluster}-istio-base"], group.Options.DependsOn);
            var gateway = Assert.IsType<IstioCrd.Gateway>(Assert.Single(group.As<ConfigGroupArgs>().Objects));
            Assert.Equal(("cross-network-gateway", "istio-system"), (gateway.Metadata.Name, gateway.Metadata.NamespaceProperty));
            Assert.Equal(new Dictionary<string, string> { ["istio"] = "eastwestgateway" }, gateway.Spec!.Selector);
            var server = Assert.Single(gateway.Spec.Servers!);
            Assert.Equal((15443L, "TLS"), (server.Port!.Number, server.Port.Protocol));
            Assert.Equal(IstioCrd.GatewaySpecServersTlsMode.AutoPassthrough, server.Tls!.Mode);
            Assert.Equal(["*.local"], server.Hosts!);
        }
    }

    [Fact]
    public void Istio_clusters_on_one_network_need_no_east_west_gateway_but_still_discover_each_other()
    {
        var graph = Graph("istio", 2, networks: false);
        Assert.DoesNotContain(graph.Resources, r => r.Name.Contains("eastwest", StringComparison.Ordinal) || r.Name.Contains("cross-network", StringComparison.Ordinal));
        Assert.True(graph.Contains("east-istio-remote-secret-west"));
        Assert.True(graph.Contains("west-istio-remote-secret-east"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Istio_destination_rules_fail_over_by_network_then_cluster_with_outlier_detection(int count)
    {
        var graph = Graph("istio", count);
        foreach (var cluster in Names.Take(count))
        {
            var rules = TrafficObjects(graph, cluster).OfType<IstioCrd.DestinationRule>().ToList();
            Assert.NotEmpty(rules);
            foreach (var rule in rules)
            {
                var policy = rule.Spec!.TrafficPolicy!;
                var locality = policy.LoadBalancer!.LocalityLbSetting!;
                Assert.True(locality.Enabled);
                // each cluster fails over to the next: with two, network then cluster is that order; with three on
                // their own networks, the listed cluster is named (FailoverOrder; the ranking itself is checked in Routing)
                var next = Names[(Array.IndexOf(Names, cluster) + 1) % count];
                Assert.Equal(count == 2 ? ["topology.istio.io/network", "topology.istio.io/cluster"] : ["topology.istio.io/network", $"topology.istio.io/cluster={next}"],
                    locality.FailoverPriority!);
                // failover only happens when failing endpoints are ejected
                Assert.NotNull(policy.OutlierDetection!.Consecutive5xxErrors);
            }
        }
    }

    // ---------------------------------------------------------------- Linkerd multicluster

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Linkerd_multicluster_runs_in_every_cluster_with_a_controller_per_other_cluster(int count)
    {
        var graph = Graph("linkerd", count);
        var clusters = Names.Take(count).ToList();
        foreach (var cluster in clusters)
        {
            var ns = graph[$"{cluster}-ns-linkerd-multicluster"];
            OnProviderOf(ns, cluster);
            Assert.Equal("multicluster", ns.As<V1Namespace>().Metadata.Labels["linkerd.io/extension"]);
            var release = graph[$"{cluster}-linkerd-multicluster"];
            OnProviderOf(release, cluster);
            Assert.Contains(ns, release.Options.DependsOn);
            Assert.Contains(graph[$"{cluster}-linkerd-control-plane"], release.Options.DependsOn);
            var args = release.As<HelmReleaseArgs>();
            var controlPlane = graph[$"{cluster}-linkerd-control-plane"].As<HelmReleaseArgs>();
            Assert.Equal(("linkerd-multicluster", "linkerd-multicluster", "linkerd-multicluster"), (args.Name, args.Chart, args.Namespace));
            Assert.Equal((controlPlane.Version, controlPlane.RepositoryOpts), (args.Version, args.RepositoryOpts));
            Assert.False(args.Values["createNamespaceMetadataJob"]!.GetValue<bool>());
            Assert.True(args.Values["gateway"]!["enabled"]!.GetValue<bool>());
            var linked = args.Values["controllers"]!.AsArray().Select(c => c!["link"]!["ref"]!["name"]!.GetValue<string>());
            Assert.Equal(clusters.Where(c => c != cluster), linked);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Linkerd_links_and_credentials_exist_for_every_ordered_pair_built_from_the_target(int count)
    {
        var graph = Graph("linkerd", count);
        var clusters = Names.Take(count).ToList();
        var links = graph.Resources.Where(r => r.Type == TypeTokens.ConfigGroup && r.As<ConfigGroupArgs>().Objects.Any(o => o is LinkerdLink)).ToList();
        Assert.Equal(count * (count - 1), links.Count);

        foreach (var target in clusters)
        {
            // in the target: a waited-for token of the remote-access ServiceAccount the chart makes, and its gateway read back
            var token = graph[$"{target}-linkerd-remote-access-token"];
            OnProviderOf(token, target);
            var tokenSecret = token.As<V1Secret>();
            Assert.Equal("linkerd-multicluster", tokenSecret.Metadata.NamespaceProperty);
            Assert.Equal("linkerd-service-mirror-remote-access-default", tokenSecret.Metadata.Annotations["kubernetes.io/service-account.name"]);
            Assert.Equal("jsonpath={.data.token}", tokenSecret.Metadata.Annotations["pulumi.com/waitFor"]);
            Assert.Contains(graph[$"{target}-linkerd-multicluster"], token.Options.DependsOn);
            var gateway = graph[$"{target}-linkerd-gateway"];
            OnProviderOf(gateway, target);
            Assert.True(gateway.IsRead);
            // the id is unknown until the release that makes the Service exists, so the first preview skips the read
            Assert.Equal($"\uE000{{{target}-linkerd-multicluster.status.namespace}}/linkerd-gateway", gateway.As<ReadInputs>().Id);
            Assert.Equal("kubernetes:core/v1:Service", gateway.Type);
            Assert.Contains(graph[$"{target}-linkerd-multicluster"], gateway.Options.DependsOn);

            foreach (var source in clusters.Where(c => c != target))
            {
                var controllerCredentials = graph[$"{source}-cluster-credentials-{target}"];
                var discoveryCredentials = graph[$"{source}-linkerd-cluster-credentials-{target}"];
                foreach (var (credentials, ns) in new[] { (controllerCredentials, "linkerd-multicluster"), (discoveryCredentials, "linkerd") })
                {
                    OnProviderOf(credentials, source);
                    Assert.Contains(token, credentials.Options.DependsOn);
                    var secret = credentials.As<V1Secret>();
                    Assert.Equal(($"cluster-credentials-{target}", ns), (secret.Metadata.Name, secret.Metadata.NamespaceProperty));
                    Assert.Equal("mirror.linkerd.io/remote-kubeconfig", secret.Type);
                    var (key, kubeconfig) = Assert.Single(secret.StringData);
                    Assert.Equal("kubeconfig", key);
                    AssertKubeconfig(kubeconfig, target, $"{target}-linkerd-remote-access-token", $"{target}-linkerd-remote-access-token-value");
                }
                var meta = discoveryCredentials.As<V1Secret>().Metadata;
                Assert.Equal(target, meta.Labels["multicluster.linkerd.io/cluster-name"]);
                Assert.Equal("cluster.local", meta.Annotations["multicluster.linkerd.io/trust-domain"]);
                Assert.Equal("cluster.local", meta.Annotations["multicluster.linkerd.io/cluster-domain"]);

                var linkGroup = graph[$"{source}-link-{target}"];
                OnProviderOf(linkGroup, source);
                foreach (var dependency in new[] { graph[$"{source}-linkerd-multicluster"], controllerCredentials, discoveryCredentials, gateway })
                    Assert.Contains(dependency, linkGroup.Options.DependsOn);
                var link = Assert.IsType<LinkerdLink>(Assert.Single(linkGroup.As<ConfigGroupArgs>().Objects));
                Assert.Equal((target, "linkerd-multicluster"), (link.Metadata.Name, link.Metadata.NamespaceProperty));
                var spec = link.Spec;
                Assert.Equal((target, "cluster.local", "linkerd", $"cluster-credentials-{target}"),
                    (spec.TargetClusterName, spec.TargetClusterDomain, spec.TargetClusterLinkerdNamespace, spec.ClusterCredentialsSecret));
                Assert.Equal($"${{{target}-linkerd-gateway.status.loadBalancer.ingress[0].ip}}", Emitted(spec.GatewayAddress!));
                Assert.Equal(("4143", "linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local"), (spec.GatewayPort, spec.GatewayIdentity));
                Assert.Equal(("/ready", "4191", "3s"), (spec.ProbeSpec!.Path, spec.ProbeSpec.Port, spec.ProbeSpec.Period));
                Assert.Equal("true", spec.Selector!.MatchLabels["mirror.linkerd.io/exported"]);
                Assert.Equal("remote-discovery", spec.RemoteDiscoverySelector!.MatchLabels["mirror.linkerd.io/exported"]);
            }
        }
    }

    [Fact]
    public void Linkerd_exports_services_by_label_per_cluster_and_a_remote_discovery_cluster_has_no_gateway()
    {
        var graph = Graph("linkerd", 3, remoteDiscovery: "central");
        foreach (var (cluster, value) in new[] { ("east", "true"), ("west", "true"), ("central", "remote-discovery") })
        {
            foreach (var service in new[] { "api-gateway", "order", "inventory", "payment", "frontend" })
                Assert.Equal(value, graph[$"{cluster}-{service}-service"].As<V1Service>().Metadata.Labels["mirror.linkerd.io/exported"]);
        }
        Assert.False(graph.Contains("central-linkerd-gateway"));
        Assert.False(graph["central-linkerd-multicluster"].As<HelmReleaseArgs>().Values["gateway"]!["enabled"]!.GetValue<bool>());
        // the others link to central without a gateway, and their controller for it runs no probe
        foreach (var source in new[] { "east", "west" })
        {
            var link = (LinkerdLink)graph[$"{source}-link-central"].As<ConfigGroupArgs>().Objects.Single();
            Assert.Null(link.Spec.GatewayAddress);
            Assert.Null(link.Spec.Selector);
            Assert.Equal("remote-discovery", link.Spec.RemoteDiscoverySelector!.MatchLabels["mirror.linkerd.io/exported"]);
            var controller = graph[$"{source}-linkerd-multicluster"].As<HelmReleaseArgs>().Values["controllers"]!.AsArray()
                .Single(c => c!["link"]!["ref"]!["name"]!.GetValue<string>() == "central")!;
            Assert.False(controller["gateway"]!["enabled"]!.GetValue<bool>());
        }
    }

    // ---------------------------------------------------------------- the program

    [Theory]
    [MemberData(nameof(MeshesAndSizes))]
    public void The_program_holds_no_token_key_or_kubeconfig_in_plaintext(string mesh, int count)
    {
        var emitted = Stacks.FromYaml(StackYaml(mesh, count)).Emit();
        var program = emitted.ProgramYaml;
        Assert.DoesNotContain("PRIVATE KEY", program);
        Assert.DoesNotContain("BEGIN CERTIFICATE", program);
        // every token in a kubeconfig is a reference to a decoded secret output
        foreach (Match m in Regex.Matches(program, @"token: (?<value>\S+)"))
            Assert.Matches(@"^\$\{[a-z0-9-]+-token-value\}(\\n)?", m.Groups["value"].Value);
        // decoded tokens are wrapped as secrets, and only Secrets' stringData (schema-secret) holds a kubeconfig
        Assert.All(emitted.Program["variables"]!.AsObject(), v => Assert.NotNull(v.Value!["fn::secret"]));
        foreach (var (name, resource) in emitted.Program["resources"]!.AsObject())
        {
            var text = resource!.ToJsonString();
            if (!text.Contains("-token-value}", StringComparison.Ordinal)) continue;
            Assert.Equal("kubernetes:core/v1:Secret", resource["type"]!.GetValue<string>());
            Assert.DoesNotContain("-token-value}", resource["properties"]!["metadata"]!.ToJsonString());
        }
        // a read resource carries its id and nothing else, and is written to no manifest
        foreach (var (name, resource) in emitted.Program["resources"]!.AsObject().Where(r => r.Value!["get"] is not null))
        {
            Assert.Null(resource!["properties"]);
            Assert.DoesNotContain(emitted.Manifests, m => m.FileName.Contains("service-linkerd-gateway", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_cross_cluster_resource_is_declared_after_what_it_depends_on()
    {
        foreach (var (mesh, count) in new[] { ("istio", 3), ("linkerd", 3) })
        {
            var graph = Graph(mesh, count);
            var index = graph.Resources.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
            foreach (var r in graph.Resources)
                foreach (var d in r.Options.DependsOn)
                    Assert.True(index[d] < index[r], $"{r.Name} depends on {d.Name}, declared after it");
        }
    }

    [Fact]
    public void The_multi_linkerd_stack_file_is_three_linked_linkerd_clusters()
    {
        var config = Stacks.Config("multi-linkerd");
        Assert.Equal(Config.MeshKind.Linkerd, config.Mesh);
        Assert.Equal(["east", "west", "central"], config.Clusters.Select(c => c.Name));
        Assert.All(config.Clusters, c => Assert.StartsWith("https://", c.Server));
        var graph = Stacks.Graph("multi-linkerd");
        Assert.Equal(6, graph.Resources.Count(r => r.Type == TypeTokens.ConfigGroup && r.As<ConfigGroupArgs>().Objects.Any(o => o is LinkerdLink)));
        Assert.Equal(3, graph.OfType(TypeTokens.KubernetesProvider).Count());
        // central runs payment alone: no other workload, and its own database for payment's ledger
        Assert.Equal(["east", "west", "central"], config.ClustersRunning("payment").Select(c => c.Name));
        Assert.Equal(["east", "west"], config.ClustersRunning("order").Select(c => c.Name));
        Assert.Equal(["payment"], graph.Resources.Where(r => r.Cluster == "central" && r.Inputs is V1Deployment d && d.Metadata.NamespaceProperty == "ecommerce")
            .Select(r => ((V1Deployment)r.Inputs).Metadata.Name));
        Assert.True(graph.Contains("central-postgres-statefulset"));
    }

    private static IEnumerable<object> TrafficObjects(ResourceGraph graph, string cluster) =>
        graph[$"{cluster}-traffic"].As<ConfigGroupArgs>().Objects;
}
