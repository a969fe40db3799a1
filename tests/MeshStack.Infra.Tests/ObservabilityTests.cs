using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Crds.Monitoring.Coreos.V1;
using MeshStack.Crds.Telemetry.Istio.V1;
using MeshStack.Graph;
using MeshStack.Tests.Support;

namespace MeshStack.Tests;

/// <summary>Tracing and metrics, read from the synthesized graph: the span path from workload to Jaeger, sampling, rules, access.</summary>
public class ObservabilityTests
{
    private static readonly string[] Services = ["api-gateway", "order", "inventory", "payment", "frontend"];

    private static HelmReleaseArgs Release(ResourceGraph graph, string cluster, string release) =>
        graph.OfType(TypeTokens.HelmRelease).Where(r => r.Cluster == cluster).Select(r => r.As<HelmReleaseArgs>()).Single(a => a.Name == release);

    private static string Env(V1Deployment d, string name) =>
        d.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == name).Value;

    private static IEnumerable<T> CustomObjects<T>(ResourceGraph graph, string cluster) =>
        graph.OfType(TypeTokens.ConfigGroup).Where(r => r.Cluster == cluster).SelectMany(r => r.As<ConfigGroupArgs>().Objects).OfType<T>();

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Spans_flow_from_workload_env_and_proxies_to_the_collector_service_and_on_to_jaeger(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            // the collector's Service, as the chart will name it
            var collector = Release(graph, cluster, "otel-collector");
            Assert.Equal("opentelemetry-collector", collector.Chart);
            var values = collector.Values;
            Assert.Equal("deployment", values["mode"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(values["image"]!["repository"]!.GetValue<string>()));
            var otlp = values["ports"]!["otlp"]!;
            Assert.Equal("kubernetes.io/h2c", otlp["appProtocol"]!.GetValue<string>()); // what each mesh makes of it: Protocols/AppProtocolTests
            var collectorHost = $"{values["fullnameOverride"]!.GetValue<string>()}.{collector.Namespace}.svc.cluster.local";
            var collectorPort = otlp["servicePort"]!.GetValue<int>();
            Assert.Equal(4318, values["ports"]!["otlp-http"]!["servicePort"]!.GetValue<int>());

            // every workload exports to exactly that Service
            foreach (var service in Services)
            {
                var endpoint = new Uri(Env(graph[$"{cluster}-{service}-deployment"].As<V1Deployment>(), "OTEL_EXPORTER_OTLP_ENDPOINT"));
                Assert.Equal(collectorHost, endpoint.Host);
                Assert.Equal(collectorPort, endpoint.Port);
            }

            // the collector's pipeline: OTLP in, memory_limiter then batch, OTLP gRPC out to Jaeger's Service
            var config = values["config"]!;
            var traces = config["service"]!["pipelines"]!["traces"]!;
            Assert.Equal(["otlp"], traces["receivers"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal(["memory_limiter", "batch"], traces["processors"]!.AsArray().Select(n => n!.GetValue<string>()));
            var exporter = Assert.Single(traces["exporters"]!.AsArray())!.GetValue<string>();
            Assert.StartsWith("otlp_grpc", exporter);
            var jaeger = Release(graph, cluster, "jaeger");
            Assert.Equal("jaeger", jaeger.Chart);
            Assert.StartsWith("4.", jaeger.Version);
            Assert.Equal($"{jaeger.Values["fullnameOverride"]!.GetValue<string>()}.{jaeger.Namespace}.svc.cluster.local:4317",
                config["exporters"]![exporter]!["endpoint"]!.GetValue<string>());
            Assert.Contains(graph[$"{cluster}-jaeger"], graph[$"{cluster}-otel-collector"].Options.DependsOn);

            var nsMeta = graph[$"{cluster}-ns-observability"].As<V1Namespace>().Metadata;
            Assert.Equal(collector.Namespace, nsMeta.Name);
            if (mesh == "istio")
            {
                // the proxies' provider points at the same Service and port, and the mesh-wide Telemetry selects it
                var meshConfig = Release(graph, cluster, "istiod").Values["meshConfig"]!;
                Assert.True(meshConfig["enableTracing"]!.GetValue<bool>());
                var provider = Assert.Single(meshConfig["extensionProviders"]!.AsArray())!;
                Assert.Equal(collectorHost, provider["opentelemetry"]!["service"]!.GetValue<string>());
                Assert.Equal(collectorPort, provider["opentelemetry"]!["port"]!.GetValue<int>());
                var telemetry = Assert.Single(CustomObjects<Telemetry>(graph, cluster));
                Assert.Equal("istio-system", telemetry.Metadata.NamespaceProperty);
                Assert.Equal(provider["name"]!.GetValue<string>(), Assert.Single(Assert.Single(telemetry.Spec!.Tracing!).Providers!).Name);
                var group = graph.OfType(TypeTokens.ConfigGroup).Single(r => r.Cluster == cluster && r.As<ConfigGroupArgs>().Objects.OfType<Telemetry>().Any());
                Assert.Contains(graph[$"{cluster}-istio-base"], group.Options.DependsOn);
                Assert.Contains(graph[$"{cluster}-istiod"], group.Options.DependsOn);
                Assert.Null(nsMeta.Annotations);
                Assert.False(nsMeta.Labels.ContainsKey("istio-injection"));
            }
            else
            {
                // the proxies export only to the collector's mesh identity, so the collector must be meshed under it
                var tracing = Release(graph, cluster, "linkerd-control-plane").Values["proxy"]!["tracing"]!;
                Assert.True(tracing["enabled"]!.GetValue<bool>());
                Assert.Equal($"{collectorHost}:{collectorPort}", tracing["collector"]!["endpoint"]!.GetValue<string>());
                var identity = tracing["collector"]!["meshIdentity"]!;
                Assert.Equal(values["serviceAccount"]!["name"]!.GetValue<string>(), identity["serviceAccountName"]!.GetValue<string>());
                Assert.True(values["serviceAccount"]!["create"]!.GetValue<bool>());
                Assert.Equal(collector.Namespace, identity["namespace"]!.GetValue<string>());
                Assert.Equal("enabled", nsMeta.Annotations["linkerd.io/inject"]);
                Assert.Contains(graph[$"{cluster}-linkerd-control-plane"], graph[$"{cluster}-ns-observability"].Options.DependsOn);
            }
        }
    }

    [Theory]
    [InlineData("istio", 37.5)]
    [InlineData("linkerd", 37.5)]
    [InlineData("istio", 100)]
    [InlineData("linkerd", 0)]
    public void Proxy_and_app_sampling_equal_the_configured_percentage(string mesh, double percent)
    {
        var graph = Stacks.GraphFromYaml($"""
            config:
              mesh-stack:mesh: {mesh}
              mesh-stack:clusters:
                - name: c1
                  context: ctx-1
              mesh-stack:tracing:
                samplingPercent: {percent.ToString(CultureInfo.InvariantCulture)}
            """);
        foreach (var service in Services)
        {
            var d = graph[$"c1-{service}-deployment"].As<V1Deployment>();
            // parent-based: whatever the proxy or caller decided wins, so app and proxy spans land in the same traces
            Assert.Equal("parentbased_traceidratio", Env(d, "OTEL_TRACES_SAMPLER"));
            Assert.Equal(percent / 100, double.Parse(Env(d, "OTEL_TRACES_SAMPLER_ARG"), CultureInfo.InvariantCulture), 6);
        }
        var telemetry = CustomObjects<Telemetry>(graph, "c1").ToList();
        if (mesh == "istio")
        {
            var tracing = Assert.Single(Assert.Single(telemetry).Spec!.Tracing!);
            Assert.Equal(percent, tracing.RandomSamplingPercentage);
            Assert.Equal("test", tracing.CustomTags!["environment"].Literal!.Value);
        }
        else
        {
            // Linkerd proxies have no sampler of their own: they follow the sampled flag the app's sampler sets
            Assert.Empty(telemetry);
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Workloads_describe_themselves_with_service_version_environment_pod_and_namespace(string stack)
    {
        var graph = Stacks.Graph(stack);
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            foreach (var service in Services)
            {
                var d = graph[$"{cluster}-{service}-deployment"].As<V1Deployment>();
                var env = d.Spec.Template.Spec.Containers[0].Env.ToList();
                Assert.Equal(service, Env(d, "OTEL_SERVICE_NAME"));
                var attributes = Env(d, "OTEL_RESOURCE_ATTRIBUTES").Split(',').Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
                Assert.Equal(d.Metadata.Labels["version"], attributes["service.version"]);
                Assert.Equal(stack, attributes["deployment.environment"]);
                Assert.Equal("$(POD_NAME)", attributes["k8s.pod.name"]);
                Assert.Equal("$(POD_NAMESPACE)", attributes["k8s.namespace.name"]);
                // $(VAR) expands only from variables defined earlier in the list
                var attrIndex = env.FindIndex(e => e.Name == "OTEL_RESOURCE_ATTRIBUTES");
                Assert.Equal("metadata.name", env[..attrIndex].Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
                Assert.Equal("metadata.namespace", env[..attrIndex].Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
            }
        }
    }

    private static readonly string[] Signals =
        ["mesh:request_success_rate:ratio_rate5m", "mesh:request_duration_ms:p99_rate5m", "mesh:mtls_share:ratio_rate5m"];

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Golden_signals_are_recording_rules_in_the_prometheus_that_scrapes_the_mesh(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        foreach (var cluster in Stacks.Config(stack).Clusters.Select(c => c.Name))
        {
            if (mesh == "istio")
            {
                var operatorRelease = Release(graph, cluster, "kube-prometheus-stack");
                Assert.True(operatorRelease.Values["crds"]!["enabled"]!.GetValue<bool>());
                var spec = operatorRelease.Values["prometheus"]!["prometheusSpec"]!;
                Assert.False(spec["ruleSelectorNilUsesHelmValues"]!.GetValue<bool>());
                Assert.False(spec["podMonitorSelectorNilUsesHelmValues"]!.GetValue<bool>());
                var rule = Assert.Single(CustomObjects<PrometheusRule>(graph, cluster));
                var rules = Assert.Single(rule.Spec.Groups!).Rules!;
                Assert.Equal(Signals, rules.Select(r => r.Record));
                Assert.All(rules, r => Assert.Contains("istio_", r.Expr.ToString()));
                // Envoy's stats port is outside the sidecar's capture, so plaintext scrapes work under STRICT mTLS
                var envoy = Assert.Single(CustomObjects<PodMonitor>(graph, cluster), m => m.Metadata.Name == "envoy-stats");
                Assert.True(envoy.Spec.NamespaceSelector!.Any);
                Assert.Equal("http-envoy-prom", Assert.Single(envoy.Spec.PodMetricsEndpoints!).Port);
                Assert.Single(CustomObjects<ServiceMonitor>(graph, cluster));
                var group = graph.OfType(TypeTokens.ConfigGroup).Single(r => r.Cluster == cluster && r.As<ConfigGroupArgs>().Objects.OfType<PrometheusRule>().Any());
                Assert.Contains(graph[$"{cluster}-kube-prometheus-stack"], group.Options.DependsOn);
                var kiali = Release(graph, cluster, "kiali");
                Assert.Equal("kiali-server", kiali.Chart);
                Assert.Contains($"{kiali.Namespace}.svc.cluster.local:9090", kiali.Values["external_services"]!["prometheus"]!["url"]!.GetValue<string>());
            }
            else
            {
                // viz's own Prometheus is meshed, so its scrapes of the proxies are mTLS; the rules are a file mounted into it
                var viz = Release(graph, cluster, "linkerd-viz");
                Assert.Equal(Release(graph, cluster, "linkerd-control-plane").Version, viz.Version);
                var mount = Assert.Single(viz.Values["prometheus"]!["ruleConfigMapMounts"]!.AsArray())!;
                var configMap = graph[$"{cluster}-mesh-recording-rules"].As<V1ConfigMap>();
                Assert.Equal(configMap.Metadata.Name, mount["configMap"]!.GetValue<string>());
                Assert.Equal(viz.Namespace, configMap.Metadata.NamespaceProperty);
                var file = mount["subPath"]!.GetValue<string>();
                Assert.EndsWith("_rules.yml", file);
                var rules = JsonNode.Parse(configMap.Data[file])!["groups"]![0]!["rules"]!.AsArray();
                Assert.Equal(Signals, rules.Select(r => r!["record"]!.GetValue<string>()));
                Assert.Contains(graph[$"{cluster}-mesh-recording-rules"], graph[$"{cluster}-linkerd-viz"].Options.DependsOn);
                var vizNs = graph[$"{cluster}-ns-linkerd-viz"].As<V1Namespace>().Metadata;
                Assert.Equal("enabled", vizNs.Annotations["linkerd.io/inject"]);
                Assert.Contains(graph[$"{cluster}-linkerd-control-plane"], graph[$"{cluster}-ns-linkerd-viz"].Options.DependsOn);
            }
        }
    }

    [Fact]
    public void Linkerd_viz_webhook_certificates_come_from_the_tls_provider_and_no_hook_job_runs()
    {
        var graph = Stacks.Graph("dev");
        var values = Release(graph, "dev", "linkerd-viz").Values;
        Assert.False(values["createNamespaceMetadataJob"]!.GetValue<bool>());
        foreach (var (key, service) in new[] { ("tap", "tap"), ("tapInjector", "tap-injector") })
        {
            Assert.Equal(graph[$"dev-{service}-cert"].Output("certPem").ToString(), values[key]!["crtPEM"]!.GetValue<string>());
            Assert.Equal(graph[$"dev-{service}-key"].Output("privateKeyPem").ToString(), values[key]!["keyPEM"]!.GetValue<string>());
            Assert.Equal(graph["dev-linkerd-viz-webhook-ca-cert"].Output("certPem").ToString(), values[key]!["caBundle"]!.GetValue<string>());
            var csr = Stacks.Props(graph[$"dev-{service}-csr"]);
            Assert.Equal($"{service}.linkerd-viz.svc", csr["dnsNames"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public void Chart_pins_follow_stack_config_and_default_to_the_declared_versions()
    {
        var graph = Stacks.GraphFromYaml("""
            config:
              mesh-stack:mesh: istio
              mesh-stack:clusters:
                - name: c1
                  context: ctx-1
              mesh-stack:charts:
                jaeger:
                  repository: https://charts.example.com/jaeger
                  version: "4.9.0"
            """);
        var jaeger = Release(graph, "c1", "jaeger");
        Assert.Equal(("https://charts.example.com/jaeger", "4.9.0"), (jaeger.RepositoryOpts.Repo, jaeger.Version));
        Assert.Equal("0.170.0", Release(graph, "c1", "otel-collector").Version);
        Assert.Equal("https://open-telemetry.github.io/opentelemetry-helm-charts", Release(graph, "c1", "otel-collector").RepositoryOpts.Repo);
        Assert.Equal("https://kiali.org/helm-charts", Release(graph, "c1", "kiali").RepositoryOpts.Repo);
        Assert.Equal("1.31.1", Release(graph, "c1", "istiod").Version);
    }

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Outputs_give_a_port_forward_to_jaeger_prometheus_and_the_mesh_console_per_cluster(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        var output = graph.Outputs.Single(o => o.Key == "observability").Value!.AsObject();
        var clusters = Stacks.Config(stack).Clusters;
        Assert.Equal(clusters.Select(c => c.Name), output.Select(o => o.Key));
        foreach (var cluster in clusters)
        {
            var access = output[cluster.Name]!.AsObject();
            var console = mesh == "istio" ? "kiali" : "linkerdViz";
            Assert.Equal(["jaeger", "prometheus", console], access.Select(a => a.Key));
            foreach (var (_, entry) in access)
                Assert.StartsWith($"kubectl --context {cluster.Context} -n ", entry!["portForward"]!.GetValue<string>());
            Assert.Equal("kubectl --context " + cluster.Context + " -n observability port-forward svc/jaeger 16686:16686",
                access["jaeger"]!["portForward"]!.GetValue<string>());
        }
    }
}
