using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Pki;
using MeshStack.Tests.Support;

namespace MeshStack.Tests;

/// <summary>The resource graph for both meshes and both stacks, checked without a cluster.</summary>
public class GraphTests
{
    private static readonly string[] Services = ["api-gateway", "order", "inventory", "payment", "frontend"];

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Every_Kubernetes_resource_names_its_clusters_provider(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        var k8s = graph.Resources.Where(r => r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(k8s);
        foreach (var r in k8s)
        {
            Assert.NotNull(r.Options.Provider);
            Assert.Equal("pulumi:providers:kubernetes", r.Options.Provider!.Type);
            Assert.Equal($"k8s-{r.Cluster}", r.Options.Provider.Name);
        }
        var providers = graph.OfType(TypeTokens.KubernetesProvider).ToList();
        var clusters = Stacks.Config(stack).Clusters;
        Assert.Equal(clusters.Select(c => $"k8s-{c.Name}"), providers.Select(p => p.Name));
        foreach (var (p, c) in providers.Zip(clusters))
        {
            var props = Stacks.Props(p);
            Assert.Equal(c.Context, props["context"]!.GetValue<string>());
            Assert.Equal(c.Name, props["clusterIdentifier"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Each_cluster_gets_a_complete_install_and_every_service(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            // the mesh's own releases; observability adds others in their own namespaces, and the east-west gateway
            // of a multi-network stack is checked with the rest of the cross-cluster wiring (MultiClusterGraphTests)
            var releases = graph.OfType(TypeTokens.HelmRelease).Where(r => r.Cluster == cluster)
                .Select(r => r.As<HelmReleaseArgs>()).Where(a => a.Namespace is "istio-system" or "istio-ingress" or "linkerd")
                .Where(a => a.Name != MeshStack.Istio.IstioMultiCluster.EastWestRelease)
                .ToDictionary(a => a.Name);
            if (mesh == "istio")
            {
                Assert.Equal(["istio-base", "istiod", "istio-ingress"], releases.Keys.Order().Reverse().OrderBy(k => k == "istio-base" ? 0 : k == "istiod" ? 1 : 2));
                Assert.Equal("base", releases["istio-base"].Chart);
                Assert.Equal("gateway", releases["istio-ingress"].Chart);
                Assert.Equal("istio-ingress", releases["istio-ingress"].Namespace);
                Assert.All(releases.Values, r => Assert.Equal("https://blob.istio.io/istio-release/charts", r.RepositoryOpts.Repo));
                Assert.All(releases.Values, r => Assert.StartsWith("1.3", r.Version));
            }
            else
            {
                // with edge hosts, the meshed Traefik ingress comes with Linkerd
                var edge = Stacks.Config(stack).Traffic.Edge.Count > 0;
                Assert.Equal(["linkerd-control-plane", "linkerd-crds"], releases.Keys.Order());
                Assert.All(releases.Values, r => Assert.Equal("https://helm.linkerd.io/edge", r.RepositoryOpts.Repo));
                Assert.Equal(edge, graph.OfType(TypeTokens.HelmRelease).Any(r => r.Cluster == cluster && r.As<HelmReleaseArgs>().Name == "traefik"));
                Assert.True(releases["linkerd-crds"].Values["installGatewayAPI"]!.GetValue<bool>());
            }
            foreach (var service in Services)
            {
                var deployment = graph[$"{cluster}-{service}-deployment"].As<V1Deployment>();
                Assert.Equal(service, deployment.Metadata.Name);
                Assert.Equal("ecommerce", deployment.Metadata.NamespaceProperty);
                Assert.Equal(service, graph[$"{cluster}-{service}-sa"].As<V1ServiceAccount>().Metadata.Name);
                Assert.Equal(service, graph[$"{cluster}-{service}-service"].As<V1Service>().Metadata.Name);
            }
        }
    }

    [Fact]
    public void Istiod_carries_mesh_id_cluster_name_and_network_from_config()
    {
        var graph = Stacks.Graph("prod");
        foreach (var cluster in Stacks.Config("prod").Clusters)
        {
            var values = graph[$"{cluster.Name}-istiod"].As<HelmReleaseArgs>().Values;
            Assert.Equal("meshstack-prod", values["global"]!["meshID"]!.GetValue<string>());
            Assert.Equal(cluster.Name, values["global"]!["multiCluster"]!["clusterName"]!.GetValue<string>());
            Assert.Equal(cluster.Network, values["global"]!["network"]!.GetValue<string>());
            var ns = graph[$"{cluster.Name}-ns-istio-system"].As<V1Namespace>();
            Assert.Equal(cluster.Network, ns.Metadata.Labels["topology.istio.io/network"]);
        }
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void DependsOn_orders_crds_then_control_plane_then_injected_namespace_then_workloads(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            var (crds, controlPlane) = mesh == "istio"
                ? (graph[$"{cluster}-istio-base"], graph[$"{cluster}-istiod"])
                : (graph[$"{cluster}-linkerd-crds"], graph[$"{cluster}-linkerd-control-plane"]);
            var ns = graph[$"{cluster}-ns-ecommerce"];
            Assert.Contains(crds, controlPlane.Options.DependsOn);
            Assert.Contains(controlPlane, ns.Options.DependsOn);
            foreach (var service in Services)
            {
                Assert.Contains(ns, graph[$"{cluster}-{service}-deployment"].Options.DependsOn);
                Assert.Contains(ns, graph[$"{cluster}-{service}-service"].Options.DependsOn);
            }
            // CRD releases survive a `pulumi destroy` of the release: deleting them would delete every custom resource
            Assert.True(crds.Options.RetainOnDelete);
            // and a resource must be declared before anything depends on it (the program reads top-down)
            var index = graph.Resources.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
            foreach (var r in graph.Resources)
                foreach (var d in r.Options.DependsOn)
                    Assert.True(index[d] < index[r], $"{r.Name} depends on {d.Name}, declared after it");
        }
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void The_ecommerce_namespace_is_marked_for_injection_by_the_selected_mesh(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            var meta = graph[$"{cluster}-ns-ecommerce"].As<V1Namespace>().Metadata;
            if (mesh == "istio")
            {
                Assert.Equal("enabled", meta.Labels["istio-injection"]);
                Assert.True(meta.Annotations is null || !meta.Annotations.ContainsKey("linkerd.io/inject"));
            }
            else
            {
                Assert.Equal("enabled", meta.Annotations["linkerd.io/inject"]);
                Assert.False(meta.Labels.ContainsKey("istio-injection"));
            }
            var annotations = graph[$"{cluster}-order-deployment"].As<V1Deployment>().Spec.Template.Metadata.Annotations;
            var prefix = mesh == "istio" ? "sidecar.istio.io/proxy" : "config.linkerd.io/proxy-";
            Assert.Equal(4, annotations.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Linkerd_identity_is_ecdsa_p256_one_anchor_and_an_issuer_per_cluster()
    {
        var graph = Stacks.Graph("prod", "linkerd");
        var keys = graph.OfType(TypeTokens.TlsPrivateKey).Select(k => k.As<PrivateKeyArgs>()).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Equal((KeyAlgorithm.ECDSA, EcdsaCurve.P256), (k.Algorithm, k.EcdsaCurve!.Value)));
        Assert.All(graph.OfType(TypeTokens.TlsPrivateKey).Select(Stacks.Props), p => Assert.Equal("P256", p["ecdsaCurve"]!.GetValue<string>()));

        var anchor = graph["linkerd-trust-anchor-cert"].As<SelfSignedCertArgs>();
        Assert.True(anchor.IsCaCertificate);
        foreach (var cluster in new[] { "east", "west" })
        {
            var issuer = graph[$"{cluster}-linkerd-issuer-cert"].As<LocallySignedCertArgs>();
            Assert.True(issuer.IsCaCertificate);
            Assert.Equal("${linkerd-trust-anchor-cert.certPem}", Emitted(issuer.CaCertPem));
            Assert.True(issuer.EarlyRenewalHours > 0 && issuer.EarlyRenewalHours < issuer.ValidityPeriodHours);

            var values = graph[$"{cluster}-linkerd-control-plane"].As<HelmReleaseArgs>().Values;
            Assert.Equal("${linkerd-trust-anchor-cert.certPem}", Emitted(values["identityTrustAnchorsPEM"]!.GetValue<string>()));
            Assert.Equal($"${{{cluster}-linkerd-issuer-cert.certPem}}", Emitted(values["identity"]!["issuer"]!["tls"]!["crtPEM"]!.GetValue<string>()));
            Assert.Equal($"${{{cluster}-linkerd-issuer-key.privateKeyPem}}", Emitted(values["identity"]!["issuer"]!["tls"]!["keyPEM"]!.GetValue<string>()));
            // webhook certificates are supplied, with the CA that signed them as caBundle, so previews do not churn
            foreach (var (key, service) in new[] { ("proxyInjector", "linkerd-proxy-injector"), ("profileValidator", "linkerd-sp-validator"), ("policyValidator", "linkerd-policy-validator") })
            {
                Assert.Equal($"${{{cluster}-{service}-cert.certPem}}", Emitted(values[key]!["crtPEM"]!.GetValue<string>()));
                Assert.Equal($"${{{cluster}-linkerd-webhook-ca-cert.certPem}}", Emitted(values[key]!["caBundle"]!.GetValue<string>()));
                var csr = graph[$"{cluster}-{service}-csr"].As<CertRequestArgs>();
                Assert.Equal([$"{service}.linkerd.svc"], csr.DnsNames!);
            }
        }
        Assert.Single(graph.OfType(TypeTokens.TlsSelfSignedCert), r => r.Name.StartsWith("linkerd-trust-anchor", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dev", 1)]
    [InlineData("prod", 3)]
    public void Workloads_follow_config_replicas_image_probes_resources_and_security(string stack, int replicas)
    {
        var config = Stacks.Config(stack);
        var graph = Stacks.Graph(stack);
        foreach (var cluster in config.Clusters.Select(c => c.Name))
        {
            foreach (var service in Services)
            {
                var d = graph[$"{cluster}-{service}-deployment"].As<V1Deployment>();
                Assert.Equal(replicas, d.Spec.Replicas);
                var pod = d.Spec.Template.Spec;
                var c = Assert.Single(pod.Containers);
                Assert.Equal($"{config.Images.Registry}/{service}:{config.Images.Tag}", c.Image);
                Assert.Equal("/readyz", c.ReadinessProbe.HttpGet.Path);
                Assert.Equal("/healthz", c.LivenessProbe.HttpGet.Path);
                Assert.True(c.Resources.Requests.ContainsKey("cpu") && c.Resources.Requests.ContainsKey("memory"));
                Assert.True(c.Resources.Limits.ContainsKey("cpu") && c.Resources.Limits.ContainsKey("memory"));
                Assert.True(pod.SecurityContext.RunAsNonRoot);
                Assert.True(c.SecurityContext.ReadOnlyRootFilesystem);
                Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
                Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
                Assert.Equal(service, pod.ServiceAccountName);
                foreach (var label in new[] { "app", "version", "app.kubernetes.io/name", "app.kubernetes.io/version", "app.kubernetes.io/part-of" })
                    Assert.True(d.Spec.Template.Metadata.Labels.ContainsKey(label), label);
                var env = c.Env.ToDictionary(e => e.Name, e => e.Value);
                Assert.Equal(service, env["OTEL_SERVICE_NAME"]);
                Assert.Contains($"deployment.environment={stack}", env["OTEL_RESOURCE_ATTRIBUTES"]);
                Assert.Equal((config.Tracing.SamplingPercent / 100).ToString(System.Globalization.CultureInfo.InvariantCulture), env["OTEL_TRACES_SAMPLER_ARG"]);
                var port = Assert.Single(graph[$"{cluster}-{service}-service"].As<V1Service>().Spec.Ports);
                Assert.Equal("http", port.Name);

                var hasPdb = graph.Contains($"{cluster}-{service}-pdb");
                Assert.Equal(replicas > 1, hasPdb);
            }
        }
    }

    [Fact]
    public void The_program_holds_no_secret_value_and_declares_the_secret_kubeconfig_as_a_reference()
    {
        const string secret = "apiVersion: v1\nclusters: [] # SUPER-SECRET-KUBECONFIG-7731";
        var engineConfig = new JsonObject
        {
            ["mesh-stack:clusters"] = """[{"name":"dev","context":"kind-dev"}]""",
            ["mesh-stack:kubeconfig"] = secret,
        };
        var input = new MeshStack.Cli.StackInput("dev", MeshStack.Config.RawConfig.FromEngineJson(engineConfig.ToJsonString()), EcommerceApp.Declare());
        var emitted = input.Emit();
        Assert.DoesNotContain("SUPER-SECRET", emitted.ProgramYaml);
        Assert.DoesNotContain("PRIVATE KEY", emitted.ProgramYaml);
        Assert.True(emitted.Program["config"]!["kubeconfig"]!["secret"]!.GetValue<bool>());
        Assert.Contains("\n  kubeconfig:\n    type: \"string\"\n    secret: true\n", emitted.ProgramYaml);
        var provider = emitted.Program["resources"]!["k8s-dev"]!["properties"]!.AsObject();
        Assert.Equal("${kubeconfig}", Emitted(provider["kubeconfig"]!["fn::secret"]!.GetValue<string>()));
    }

    private static string Emitted(string marked) => Expr.ToPulumiYaml(marked);
}
