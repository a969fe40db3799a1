using System.Globalization;
using k8s.Models;
using MeshStack.Crds.Gateway.Networking.K8s.V1;
using MeshStack.Synthesis;
using MeshStack.Topology;
using MeshStack.Traffic;
using MeshStack.Workloads;

namespace MeshStack.Linkerd;

/// <summary>
/// Traffic intent with Linkerd's current APIs: one Gateway API <c>HTTPRoute</c> per route, attached to the
/// Service (parentRef kind Service), carrying the route's <c>timeout.linkerd.io/*</c> and <c>retry.linkerd.io/*</c>
/// annotations; canary weights and header matches as backendRefs to per-version Services; circuit breaking
/// as failure-accrual annotations on the Services; drills as a weighted backend that returns errors.
/// No ServiceProfile is emitted: it would override the HTTPRoutes and annotations of its Service.
/// A service with an automated canary gets no HTTPRoutes here: Flagger writes the one HTTPRoute attached to its Service.
/// Connection limits, pending-request limits and consistent hashing have no Linkerd equivalent and are not rendered.
/// </summary>
public sealed class LinkerdTrafficRenderer : ITrafficRenderer
{
    public const string FaultInjector = "fault-injector";
    public const int FaultInjectorPort = 8080;

    /// <summary>nginx, unprivileged (listens on 8080, runs as non-root): the error backend of Linkerd's fault-injection docs.</summary>
    public const string FaultInjectorImage = "docker.io/nginxinc/nginx-unprivileged:1.30-alpine";

    public void Configure(ClusterPlan plan, TrafficIntent intent) =>
        plan.CustomizeServices((service, kube) =>
        {
            kube.Metadata.Annotations ??= new Dictionary<string, string>();
            foreach (var (k, v) in FailureAccrual(intent.Service(service.Name).CircuitBreaker)) kube.Metadata.Annotations[k] = v;
        });

    /// <summary>Consecutive-failure accrual: the endpoint is ejected after N failures, for a backoff between the penalties.</summary>
    public static Dictionary<string, string> FailureAccrual(CircuitBreaker cb) => new()
    {
        ["balancer.linkerd.io/failure-accrual"] = "consecutive",
        ["balancer.linkerd.io/failure-accrual-consecutive-max-failures"] = cb.ConsecutiveErrors.ToString(CultureInfo.InvariantCulture),
        ["balancer.linkerd.io/failure-accrual-consecutive-min-penalty"] = Duration.Format(cb.BaseEjectionTime),
        // like Istio's ejection time, the penalty grows with repeated failures; cap it at four base times
        ["balancer.linkerd.io/failure-accrual-consecutive-max-penalty"] = Duration.Format(cb.BaseEjectionTime * 4),
    };

    public void Build(ClusterBuild build, TrafficIntent intent)
    {
        var ns = build.Topology.Namespace;
        var dependsOn = new List<MeshStack.Graph.Resource> { build.Install.Crds, build.AppNamespace };
        var made = new MadeServices(build);
        foreach (var service in intent.Services.Where(s => s.Canary is { Automated: false }))
        {
            foreach (var version in new[] { service.Service.Version, service.Canary!.Version })
                dependsOn.Add(VersionService(build, service, version, made));
        }
        foreach (var status in intent.Services.SelectMany(s => s.AllRoutes).Select(r => r.Fault?.AbortStatus).OfType<int>().Distinct())
            dependsOn.Add(FaultInjectorWorkload(build, status, made));

        var routes = intent.Services.Where(s => !build.Plan.IsDeliveredByFlagger(s.Name))
            .SelectMany(s => s.AllRoutes.Select(r => (object)Route(s, r, ns, made))).ToList();
        var traffic = build.Scope.CustomResources("traffic", routes, dependsOn);
        LinkerdEdge.Build(build, intent, [traffic]);
    }

    public static string RouteName(ServiceTraffic s, RouteIntent r) => $"{s.Name}-{r.Name}";

    /// <summary>
    /// The Services routes send to, as they were made in this cluster: the services' own, the per-version Services of a
    /// static canary and the fault injectors' (the mirrors of remote services are made by Linkerd's service mirror).
    /// </summary>
    private sealed class MadeServices(ClusterBuild build)
    {
        public Dictionary<(string Service, string Version), ServiceRef> Versions { get; } = [];
        public Dictionary<int, ServiceRef> FaultInjectors { get; } = [];
        public ServiceRef Service(ServiceTraffic s) => build.Service(s.Name);
        public ClusterBuild Build => build;
    }

    /// <summary>Linkerd retries on response status only; failed connections are handled by its balancer, not retried as requests.</summary>
    public static Dictionary<string, string> RetryAnnotations(RetryPolicy retries) => new()
    {
        ["retry.linkerd.io/http"] = "5xx",
        ["retry.linkerd.io/limit"] = retries.Attempts.ToString(CultureInfo.InvariantCulture),
        ["retry.linkerd.io/timeout"] = Duration.Format(retries.PerTryTimeout),
    };

    public static string VersionServiceName(string service, string version) => $"{service}-{version}";

    private static HTTPRoute Route(ServiceTraffic s, RouteIntent r, string ns, MadeServices made)
    {
        var backends = Backends(s, made);
        var parent = made.Service(s);
        var annotations = new Dictionary<string, string> { ["timeout.linkerd.io/request"] = Duration.Format(r.Timeout) };
        if (r.Retries is { } retries)
            foreach (var (k, v) in RetryAnnotations(retries)) annotations[k] = v;
        var rules = new List<HTTPRouteSpecRules>();
        if (s.Canary is { Automated: false, Header: { } header } canary)
            rules.Add(Rule(r, header, WithFault(r, [Backend(made.Versions[(s.Name, canary.Version)], 100)], made)));
        rules.Add(Rule(r, null, WithFault(r, backends, made)));
        return new HTTPRoute
        {
            Metadata = new V1ObjectMeta { Name = RouteName(s, r), NamespaceProperty = ns, Annotations = annotations },
            Spec = new HTTPRouteSpec
            {
                ParentRefs = [new HTTPRouteSpecParentRefs { Group = "core", Kind = "Service", Name = parent.Name, Port = parent.Port }],
                Rules = rules,
            },
        };
    }

    /// <summary>
    /// Where a route's requests go: the per-version Services of a canary (config keeps a canary's service in every
    /// cluster), the service itself where it runs, else the mirrors the links make of it in the clusters that run it,
    /// in equal shares.
    /// </summary>
    private static List<(string Name, int Weight, int Port)> Backends(ServiceTraffic s, MadeServices made)
    {
        var build = made.Build;
        if (s.Canary is { Automated: false } c)
            return [Backend(made.Versions[(s.Name, s.Service.Version)], 100 - c.Weight), Backend(made.Versions[(s.Name, c.Version)], c.Weight)];
        if (build.Plan.Runs(s.Service)) return [Backend(made.Service(s), 100)];
        // the service mirror names each mirror after the remote Service and its cluster
        var port = made.Service(s).Port;
        return [.. build.Scope.Config.ClustersRunning(s.Name).Select(c => (LinkerdMultiCluster.MirrorService(s.Name, c.Name), 1, port))];
    }

    private static (string Name, int Weight, int Port) Backend(ServiceRef service, int weight) => (service.Name, weight, service.Port);

    /// <summary>A drill takes its percentage from every backend, in proportion, and sends it to the error backend.</summary>
    private static List<(string Name, int Weight, int Port)> WithFault(RouteIntent r, List<(string Name, int Weight, int Port)> backends, MadeServices made) =>
        r.Fault is { AbortStatus: { } status } f
            ? [.. backends.Select(b => (b.Name, b.Weight * (100 - f.Percent), b.Port)), Backend(made.FaultInjectors[status], backends.Sum(b => b.Weight) * f.Percent)]
            : backends;

    public static string FaultInjectorName(int status) => $"{FaultInjector}-{status.ToString(CultureInfo.InvariantCulture)}";

    private static HTTPRouteSpecRules Rule(RouteIntent r, HeaderMatch? header, List<(string Name, int Weight, int Port)> backends) => new()
    {
        Matches =
        [
            new HTTPRouteSpecRulesMatches
            {
                Path = new HTTPRouteSpecRulesMatchesPath
                {
                    Type = r.Path.Kind switch
                    {
                        PathMatchKind.Exact => HTTPRouteSpecRulesMatchesPathType.Exact,
                        PathMatchKind.Prefix => HTTPRouteSpecRulesMatchesPathType.PathPrefix,
                        _ => HTTPRouteSpecRulesMatchesPathType.RegularExpression,
                    },
                    Value = r.Path.Value,
                },
                Method = r.Method is { } m ? Enum.Parse<HTTPRouteSpecRulesMatchesMethod>(m, ignoreCase: true) : null,
                Headers = header is null ? null :
                [
                    new HTTPRouteSpecRulesMatchesHeaders { Name = header.Name, Value = header.Value, Type = HTTPRouteSpecRulesMatchesType.Exact },
                ],
            },
        ],
        BackendRefs = backends.Select(b => new HTTPRouteSpecRulesBackendRefs
        {
            Name = b.Name,
            Port = b.Port,
            // a single backend takes everything: no weight needed
            Weight = backends.Count > 1 ? b.Weight : null,
        }).ToList(),
    };

    /// <summary>A Service per version (app + version selector): the backends that weights choose between.</summary>
    private static MeshStack.Graph.Resource VersionService(ClusterBuild build, ServiceTraffic s, string version, MadeServices made)
    {
        var name = VersionServiceName(s.Name, version);
        var labels = new Dictionary<string, string> { ["app"] = s.Name, ["version"] = version, ["app.kubernetes.io/part-of"] = build.Topology.Name };
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = build.Topology.Namespace,
                Labels = labels,
                Annotations = FailureAccrual(s.CircuitBreaker),
            },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = s.Name, ["version"] = version },
                Ports = [new V1ServicePort { Name = "http", Port = s.Service.Port, TargetPort = "http", AppProtocol = "http", Protocol = "TCP" }],
            },
        };
        var resource = build.Scope.Add($"{name}-service", service, build.AppNamespace);
        made.Versions[(s.Name, version)] = ServiceRef.Of(service);
        return resource;
    }

    /// <summary>nginx answering every request with <paramref name="status"/> (health checks excepted), meshed like the app.</summary>
    private static MeshStack.Graph.Resource FaultInjectorWorkload(ClusterBuild build, int status, MadeServices made)
    {
        var (scope, ns) = (build.Scope, build.Topology.Namespace);
        var name = FaultInjectorName(status);
        var labels = new Dictionary<string, string> { ["app"] = name, ["app.kubernetes.io/part-of"] = build.Topology.Name };
        var config = scope.Add($"{name}-config", new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Data = new Dictionary<string, string>
            {
                ["default.conf"] = $"server {{\n  listen 8080;\n  location = /healthz {{ return 200; }}\n  location / {{ return {status.ToString(CultureInfo.InvariantCulture)}; }}\n}}\n",
            },
        }, build.AppNamespace);
        var deployment = scope.Add($"{name}-deployment", new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        SecurityContext = PodSecurity.NonRoot(),
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "nginx",
                                Image = FaultInjectorImage,
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }],
                                ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http" } },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
                                },
                                SecurityContext = PodSecurity.Container(),
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "config", MountPath = "/etc/nginx/conf.d", ReadOnlyProperty = true },
                                    // nginx-unprivileged keeps its pid and temp files here
                                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                ],
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = name } },
                            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                        ],
                    },
                },
            },
        }, build.AppNamespace, config);
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = name },
                Ports = [new V1ServicePort { Name = "http", Port = FaultInjectorPort, TargetPort = "http", AppProtocol = "http", Protocol = "TCP" }],
            },
        };
        var resource = scope.Add($"{name}-service", service, build.AppNamespace, deployment);
        made.FaultInjectors[status] = ServiceRef.Of(service);
        return resource;
    }
}
