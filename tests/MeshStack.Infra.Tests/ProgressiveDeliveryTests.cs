using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Tests.Support;
using MeshStack.Topology;
using Fl = MeshStack.Crds.Flagger.V1beta1;
using Gw = MeshStack.Crds.Gateway.Networking.K8s.V1;
using IstioCrd = MeshStack.Crds.Networking.Istio.V1;

namespace MeshStack.Tests;

/// <summary>
/// <c>canary.automated: true</c> in the rendered graph: Flagger installed from its pinned chart with values for the
/// mesh, a Canary (and, for Linkerd, MetricTemplates) for the service, and the service's routing left to Flagger
/// alone, while every other service keeps its static routes.
/// </summary>
public class ProgressiveDeliveryTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    /// <summary>prod with its static canary made automated (the header stays: an A/B test).</summary>
    private static string ProdAutomated(string mesh) =>
        Stacks.WithMesh(File.ReadAllText(Repo.StackFile("prod")), mesh)
            .Replace("      weight: 10\n", "      automated: true\n", StringComparison.Ordinal);

    private const string EdgeOnDelivered = """
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: c1
              context: ctx
          mesh-stack:traffic:
            canary:
              service: api-gateway
              automated: true
              tag: "2.0.0"
            edge:
              - host: api.example.com
                service: api-gateway
              - host: shop.example.com
                service: frontend
        """;

    public static TheoryData<string> Meshes => new() { "istio", "linkerd" };

    private static IEnumerable<string> Clusters(ResourceGraph graph) =>
        graph.OfType(TypeTokens.KubernetesProvider).Select(p => p.Name["k8s-".Length..]);

    private static IReadOnlyList<object> Objects(ResourceGraph graph, string suffix, string cluster) =>
        graph.Contains($"{cluster}-{suffix}") ? graph[$"{cluster}-{suffix}"].As<ConfigGroupArgs>().Objects : [];

    private static Fl.Canary CanaryOf(ResourceGraph graph, string cluster) =>
        Objects(graph, "flagger-canary", cluster).OfType<Fl.Canary>().Single();

    [Theory]
    [MemberData(nameof(Meshes))]
    public void Automated_canary_installs_the_pinned_Flagger_chart_with_the_meshs_provider_and_prometheus(string mesh)
    {
        var graph = Stacks.Graph("canary", mesh);
        var release = graph["canary-flagger"];
        var args = release.As<HelmReleaseArgs>();
        Assert.Equal(("flagger", "flagger", "1.41.0", "flagger-system", "https://flagger.app"),
            (args.Name, args.Chart, args.Version, args.Namespace, args.RepositoryOpts.Repo));
        var values = args.Values;
        Assert.False(values["crd"]!["create"]!.GetValue<bool>());
        Assert.Equal("flagger-system", graph["canary-ns-flagger-system"].As<V1Namespace>().Metadata.Name);
        var dependsOn = release.Options.DependsOn.Select(d => d.Name).ToList();
        Assert.Contains("canary-ns-flagger-system", dependsOn);
        if (mesh == "istio")
        {
            Assert.Equal("istio", values["meshProvider"]!.GetValue<string>());
            // the Prometheus of kube-prometheus-stack, the one that scrapes the sidecars
            Assert.Equal("http://prometheus-prometheus.observability:9090", values["metricsServer"]!.GetValue<string>());
            Assert.Equal("prometheus-prometheus", graph.OfType(TypeTokens.HelmRelease).Select(r => r.As<HelmReleaseArgs>())
                .Single(r => r.Chart == "kube-prometheus-stack").Values["fullnameOverride"]!.GetValue<string>() + "-prometheus");
            Assert.Null(values["linkerdAuthPolicy"]);
            Assert.Contains("canary-istiod", dependsOn);
        }
        else
        {
            Assert.Equal("gatewayapi:v1", values["meshProvider"]!.GetValue<string>());
            Assert.Equal("http://prometheus.linkerd-viz:9090", values["metricsServer"]!.GetValue<string>());
            Assert.True(values["linkerdAuthPolicy"]!["create"]!.GetValue<bool>());
            Assert.Equal("linkerd-viz", values["linkerdAuthPolicy"]!["namespace"]!.GetValue<string>());
            // meshed by the injector, and its AuthorizationPolicy goes next to viz's Prometheus
            Assert.Contains("canary-linkerd-control-plane", dependsOn);
            Assert.Contains("canary-linkerd-viz", dependsOn);
        }
        // the Canary and its templates wait for Flagger's CRDs and the Deployment they target
        var canaryGroup = graph["canary-flagger-canary"].Options.DependsOn.Select(d => d.Name).ToList();
        Assert.Contains("canary-flagger", canaryGroup);
        Assert.Contains("canary-order-deployment", canaryGroup);
    }

    [Fact]
    public void The_Flagger_chart_pin_can_be_overridden_like_the_others()
    {
        var yaml = File.ReadAllText(Repo.StackFile("canary")) + """
              mesh-stack:charts:
                flagger:
                  repository: https://charts.example.com/flagger
                  version: "1.40.0"
            """;
        var args = Stacks.GraphFromYaml(yaml)["canary-flagger"].As<HelmReleaseArgs>();
        Assert.Equal(("1.40.0", "https://charts.example.com/flagger"), (args.Version, args.RepositoryOpts.Repo));
    }

    [Theory]
    [InlineData("dev", "linkerd")]
    [InlineData("prod", "istio")]
    [InlineData("prod", "linkerd")]
    public void Stacks_without_an_automated_canary_have_no_Flagger(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        Assert.DoesNotContain(graph.OfType(TypeTokens.HelmRelease), r => r.As<HelmReleaseArgs>().Chart == "flagger");
        Assert.DoesNotContain(graph.Resources, r => r.Name.EndsWith("-flagger-canary", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Meshes))]
    public void The_Canary_targets_the_order_Deployment_with_the_configured_analysis_and_the_meshs_metrics(string mesh)
    {
        var graph = Stacks.Graph("canary", mesh);
        var canary = CanaryOf(graph, "canary");
        var spec = canary.Spec!;
        Assert.Equal(("order", "ecommerce"), (canary.Metadata.Name, canary.Metadata.NamespaceProperty));
        Assert.Equal(("apps/v1", Fl.CanarySpecTargetRefKind.Deployment, "order"), (spec.TargetRef.ApiVersion, spec.TargetRef.Kind, spec.TargetRef.Name));
        Assert.Equal(8080, spec.Service!.Port);
        Assert.Equal("http", spec.Service.TargetPort!.ToString());
        // the longest of order's route timeouts; no retries, since POST /orders must never be retried
        Assert.Equal("10s", spec.Service.Timeout);
        var a = spec.Analysis;
        Assert.Equal(("60s", 5.0, 50.0, 10.0), (a.Interval, a.Threshold, a.MaxWeight, a.StepWeight));
        Assert.Null(a.Match);
        Assert.Null(a.Iterations);
        var metrics = a.Metrics!.ToDictionary(m => m.Name);
        if (mesh == "istio")
        {
            Assert.Equal(Fl.CanarySpecProvider.Istio, spec.Provider);
            Assert.Equal(99, metrics["request-success-rate"].ThresholdRange!.Min);
            Assert.Equal(500, metrics["request-duration"].ThresholdRange!.Max);
            Assert.All(metrics.Values, m => Assert.Null(m.TemplateRef));
            Assert.Equal(0, spec.Service.Retries!.Attempts);
            Assert.Contains("mesh", spec.Service.Gateways!);
            Assert.Null(spec.Service.GatewayRefs);
            Assert.Equal(Fl.CanarySpecServiceTrafficPolicyTlsMode.IstioMutual, spec.Service.TrafficPolicy!.Tls!.Mode);
            Assert.Equal(5, spec.Service.TrafficPolicy.OutlierDetection!.Consecutive5xxErrors);
        }
        else
        {
            Assert.Equal(Fl.CanarySpecProvider.GatewayapiV1, spec.Provider);
            var parent = Assert.Single(spec.Service.GatewayRefs!);
            Assert.Equal(("order", "ecommerce", "core", "Service", 8080), (parent.Name, parent.Namespace, parent.Group, parent.Kind, parent.Port));
            Assert.Equal(99, metrics["linkerd-success-rate"].ThresholdRange!.Min);
            Assert.Equal(500, metrics["linkerd-latency-p99"].ThresholdRange!.Max);
            var templates = Objects(graph, "flagger-canary", "canary").OfType<Fl.MetricTemplate>().ToDictionary(t => t.Metadata.Name);
            foreach (var m in metrics.Values)
            {
                Assert.Equal("ecommerce", m.TemplateRef!.Namespace);
                var template = templates[m.TemplateRef.Name];
                Assert.Equal(Fl.MetricTemplateSpecProviderType.Prometheus, template.Spec!.Provider.Type);
                Assert.Equal("http://prometheus.linkerd-viz:9090", template.Spec.Provider.Address);
                Assert.Contains("direction=\"inbound\"", template.Spec.Query);
                Assert.Contains("deployment=~\"{{ target }}\"", template.Spec.Query);
            }
            Assert.Contains("response_total{", templates["linkerd-success-rate"].Spec!.Query);
            Assert.Contains("classification!=\"failure\"", templates["linkerd-success-rate"].Spec!.Query);
            Assert.StartsWith("histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{", templates["linkerd-latency-p99"].Spec!.Query);
            // circuit breaking rides on the Services Flagger makes
            Assert.Equal("consecutive", spec.Service.Apex!.Annotations!["balancer.linkerd.io/failure-accrual"]);
            Assert.Equal("consecutive", spec.Service.Primary!.Annotations!["balancer.linkerd.io/failure-accrual"]);
            Assert.DoesNotContain(spec.Service.Apex.Annotations.Keys, k => k.StartsWith("retry.linkerd.io/", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Meshes))]
    public void A_header_makes_the_automated_canary_an_AB_test_for_those_users(string mesh)
    {
        var graph = Stacks.GraphFromYaml(ProdAutomated(mesh));
        foreach (var cluster in Clusters(graph))
        {
            var a = CanaryOf(graph, cluster).Spec!.Analysis;
            var match = Assert.Single(a.Match!);
            Assert.Equal("internal", match.Headers!["x-canary-user"].Exact);
            Assert.Equal(10, a.Iterations);
            Assert.Null(a.StepWeight);
            Assert.Null(a.MaxWeight);
        }
    }

    /// <summary>Per cluster, the hosts (services) something other than Flagger routes: mesh routes, per-version Services, the Service itself.</summary>
    private static HashSet<string> StaticallyRouted(ResourceGraph graph, string cluster, string ns)
    {
        var routed = new HashSet<string>(StringComparer.Ordinal);
        string Short(string host) => host.EndsWith($".{ns}.svc.cluster.local", StringComparison.Ordinal) ? host.Split('.')[0] : host;
        foreach (var o in Objects(graph, "traffic", cluster))
        {
            switch (o)
            {
                case IstioCrd.VirtualService vs:
                    foreach (var h in vs.Spec!.Hosts!) routed.Add(Short(h));
                    foreach (var d in vs.Spec.Http!.SelectMany(h => h.Route!)) routed.Add(Short(d.Destination.Host));
                    break;
                case IstioCrd.DestinationRule dr:
                    routed.Add(Short(dr.Spec!.Host));
                    break;
                case Gw.HTTPRoute route:
                    foreach (var p in route.Spec.ParentRefs!.Where(p => p.Kind == "Service")) routed.Add(p.Name);
                    break;
            }
        }
        // Services the stack creates (not the ones it only reads, such as another cluster's gateway)
        foreach (var r in graph.Resources.Where(r => r.Cluster == cluster && r.Inputs is V1Service))
        {
            var svc = r.As<V1Service>();
            if (svc.Metadata.NamespaceProperty != ns) continue;
            routed.Add(svc.Metadata.Name);
            // order-v1 / order-v2: the backends of a static canary
            if (svc.Spec.Selector.TryGetValue("version", out _)) routed.Add(svc.Spec.Selector["app"]);
        }
        return routed;
    }

    public static TheoryData<string, string> Graphs => new()
    {
        { "canary", "linkerd" }, { "canary", "istio" }, { "prod-automated", "istio" }, { "prod-automated", "linkerd" },
        { "edge-on-delivered", "istio" }, { "prod", "istio" }, { "dev", "linkerd" },
    };

    private static ResourceGraph Load(string name, string mesh) => name switch
    {
        "prod-automated" => Stacks.GraphFromYaml(ProdAutomated(mesh)),
        "edge-on-delivered" => Stacks.GraphFromYaml(EdgeOnDelivered),
        _ => Stacks.Graph(name, mesh),
    };

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Never_both_Flagger_and_a_static_route_for_the_same_host(string name, string mesh)
    {
        var graph = Load(name, mesh);
        foreach (var cluster in Clusters(graph))
        {
            var canaries = Objects(graph, "flagger-canary", cluster).OfType<Fl.Canary>().ToList();
            var flaggerHosts = canaries.SelectMany(c => (c.Spec!.Service!.Hosts ?? []).Append(c.Spec.Service.Name!).Append(c.Spec.TargetRef.Name)).ToHashSet();
            var routed = StaticallyRouted(graph, cluster, Topology.Namespace);
            Assert.Empty(flaggerHosts.Intersect(routed));
            // the static canary's Deployment is Flagger's job too
            foreach (var c in canaries) Assert.False(graph.Contains($"{cluster}-{c.Spec!.TargetRef.Name}-v2-deployment"));
            // every other service keeps its static routes
            foreach (var s in Topology.Services.Where(s => !flaggerHosts.Contains(s.Name)))
                Assert.Contains(s.Name, routed);
            if (name != "prod" && name != "dev") Assert.Equal([name == "edge-on-delivered" ? "api-gateway" : "order"], canaries.Select(c => c.Spec!.TargetRef.Name));
            else Assert.Empty(canaries);
        }
    }

    [Fact]
    public void An_Istio_edge_host_of_the_delivered_service_moves_into_Flaggers_VirtualService()
    {
        var graph = Stacks.GraphFromYaml(EdgeOnDelivered);
        var service = CanaryOf(graph, "c1").Spec!.Service!;
        Assert.Equal(["mesh", "ecommerce/edge"], service.Gateways);
        Assert.Equal(["api-gateway", "api.example.com"], service.Hosts);
        var traffic = Objects(graph, "traffic", "c1");
        // the Gateway still admits the host; only the static VirtualService for it is gone
        Assert.All(traffic.OfType<IstioCrd.Gateway>().Single().Spec!.Servers!, s => Assert.Contains("ecommerce/api.example.com", s.Hosts!));
        var edgeHosts = traffic.OfType<IstioCrd.VirtualService>().Where(v => v.Spec!.Gateways?.Contains("edge") == true).SelectMany(v => v.Spec!.Hosts!).ToList();
        Assert.Equal(["shop.example.com"], edgeHosts);
    }

    [Theory]
    [MemberData(nameof(Meshes))]
    public void The_delivered_Deployment_runs_the_canary_tag_and_leaves_its_replicas_to_Flagger(string mesh)
    {
        var graph = Stacks.GraphFromYaml(ProdAutomated(mesh));
        foreach (var cluster in Clusters(graph))
        {
            var order = graph[$"{cluster}-order-deployment"];
            var deployment = order.As<V1Deployment>();
            Assert.Equal("ghcr.io/meshstack/order:1.5.0", deployment.Spec.Template.Spec.Containers[0].Image);
            Assert.Equal("1.5.0", deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/version"]);
            // Flagger keys the primary on the app label: it must be in the selector
            Assert.Equal("order", deployment.Spec.Selector.MatchLabels["app"]);
            Assert.Equal(["spec.replicas"], order.Options.IgnoreChanges);
            foreach (var other in Topology.Services.Where(s => s.Name != "order"))
            {
                var r = graph[$"{cluster}-{other.Name}-deployment"];
                Assert.Empty(r.Options.IgnoreChanges);
                Assert.Equal("ghcr.io/meshstack/" + other.Name + ":1.4.2", r.As<V1Deployment>().Spec.Template.Spec.Containers[0].Image);
            }
            // Flagger makes order, order-primary and order-canary
            Assert.False(graph.Contains($"{cluster}-order-service"));
            // a disruption budget for each pod set: the target's and the primary's (app: order-primary)
            Assert.Equal("order-primary", graph[$"{cluster}-order-primary-pdb"].As<V1PodDisruptionBudget>().Spec.Selector.MatchLabels["app"]);
            Assert.Equal("order", graph[$"{cluster}-order-pdb"].As<V1PodDisruptionBudget>().Spec.Selector.MatchLabels["app"]);
        }
    }
}
