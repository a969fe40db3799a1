using System.Globalization;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Synthesis;
using MeshStack.Topology;
using MeshStack.Tracing;

namespace MeshStack.Workloads;

/// <summary>The Kubernetes objects of one service of the application in one cluster.</summary>
/// <param name="KubeService">The Service; null when Flagger makes it (an automated canary).</param>
/// <param name="ServiceModel">The Service as the stack means it (labels, annotations, port), declared or handed to Flagger.</param>
public sealed record ServiceWorkload(AppService Service, Resource ServiceAccount, Resource Deployment, Resource? KubeService, Resource? Disruption, V1Service ServiceModel)
{
    /// <summary>The Service as routes refer to it (Flagger's, with the same name, when Flagger makes it).</summary>
    public ServiceRef Ref { get; } = ServiceRef.Of(ServiceModel);
}

/// <summary>Builds a service's ServiceAccount, Deployment, Service and PodDisruptionBudget from the topology.</summary>
public static class ServiceWorkloads
{
    public static ServiceWorkload Add(ClusterPlan plan, AppService service, Resource ns)
    {
        var (scope, topology) = (plan.Scope, plan.Topology);
        var config = scope.Config;
        var sa = scope.Add($"{service.Name}-sa", new V1ServiceAccount
        {
            Metadata = Meta(service.ServiceAccount, topology.Namespace, Labels(topology, service, config.Images.Tag)),
            AutomountServiceAccountToken = false,
        }, ns);

        var flagger = plan.IsDeliveredByFlagger(service.Name);
        // Flagger scales this Deployment (to zero between analyses): Pulumi must leave its replicas alone, or its
        // next apply would conflict with Flagger's field ownership (or undo the scaling)
        var deployment = scope.Add($"{service.Name}-deployment", Deployment(plan, service, service.Version),
            scope.Options(ns, sa) with { IgnoreChanges = flagger ? ["spec.replicas"] : [] });

        var serviceModel = ServiceModel(plan, service);
        // Flagger makes the Service (and <service>-primary, <service>-canary) itself, from the Canary's metadata
        var kubeService = flagger ? null : scope.Add($"{service.Name}-service", serviceModel, ns);

        Resource? pdb = null;
        if (config.Replicas > 1)
        {
            // one budget per pod set: the service's own pods and, with Flagger, the primary's (app: <service>-primary)
            foreach (var app in plan.AppLabels(service.Name))
            {
                var budget = scope.Add($"{app}-pdb", new V1PodDisruptionBudget
                {
                    Metadata = Meta(app, topology.Namespace, Labels(topology, service, config.Images.Tag)),
                    Spec = new V1PodDisruptionBudgetSpec
                    {
                        MaxUnavailable = 1,
                        Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
                    },
                }, ns);
                pdb ??= budget;
            }
        }
        return new ServiceWorkload(service, sa, deployment, kubeService, pdb, serviceModel);
    }

    /// <summary>
    /// The Service of a service that runs only in other clusters: its name must still resolve here for local callers
    /// and the edge, and the mesh sends its traffic to the clusters that run it.
    /// </summary>
    public static ServiceRef AddRemote(ClusterPlan plan, AppService service, Resource ns)
    {
        var model = ServiceModel(plan, service);
        plan.Scope.Add($"{service.Name}-service", model, ns);
        return ServiceRef.Of(model);
    }

    /// <summary>A service's Service, with every component's adjustments applied.</summary>
    private static V1Service ServiceModel(ClusterPlan plan, AppService service)
    {
        var model = new V1Service
        {
            Metadata = Meta(service.Name, plan.Topology.Namespace, Labels(plan.Topology, service, plan.Scope.Config.Images.Tag)),
            Spec = new V1ServiceSpec
            {
                // select on app only, so every version behind the Service is reachable and the mesh picks between them
                Selector = new Dictionary<string, string> { ["app"] = service.Name },
                Ports =
                [
                    new V1ServicePort { Name = "http", Port = service.Port, TargetPort = "http", AppProtocol = "http", Protocol = "TCP" },
                ],
            },
        };
        plan.Apply(service, model);
        return model;
    }

    /// <summary>The Deployment of one version of a service, with every component's adjustments applied.</summary>
    public static V1Deployment Deployment(ClusterPlan plan, AppService service, string version)
    {
        var (scope, topology, mesh) = (plan.Scope, plan.Topology, plan.Mesh);
        var config = scope.Config;
        var name = version == service.Version ? service.Name : $"{service.Name}-{version}";
        var selector = new Dictionary<string, string> { ["app"] = service.Name, ["version"] = version };
        var podLabels = Labels(topology, service, config.Images.Tag, version);
        var deployment = new V1Deployment
        {
            Metadata = Meta(name, topology.Namespace, podLabels),
            Spec = new V1DeploymentSpec
            {
                Replicas = config.Replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = podLabels,
                        Annotations = mesh.ProxyResourceAnnotations(service.ProxyResources),
                    },
                    Spec = PodSpec(plan, service, version),
                },
            },
        };
        plan.Apply(service, deployment);
        return deployment;
    }

    private static V1PodSpec PodSpec(ClusterPlan plan, AppService service, string version) => new()
    {
        ServiceAccountName = service.ServiceAccount,
        AutomountServiceAccountToken = false,
        // readiness turns false first, then the app drains in-flight requests before this runs out
        TerminationGracePeriodSeconds = 30,
        SecurityContext = PodSecurity.NonRoot(service.RunAsUser),
        Containers =
        [
            new V1Container
            {
                Name = service.Name,
                Image = plan.Scope.Config.Images.For(service),
                ImagePullPolicy = "IfNotPresent",
                Ports = [new V1ContainerPort { Name = "http", ContainerPort = service.Port, Protocol = "TCP" }],
                Env = Environment(plan, service, version),
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity>
                    {
                        ["cpu"] = new(service.Resources.CpuRequest),
                        ["memory"] = new(service.Resources.MemoryRequest),
                    },
                    Limits = new Dictionary<string, ResourceQuantity>
                    {
                        ["cpu"] = new(service.Resources.CpuLimit),
                        ["memory"] = new(service.Resources.MemoryLimit),
                    },
                },
                ReadinessProbe = Probe(service.ReadinessPath, periodSeconds: 5, failureThreshold: 2),
                LivenessProbe = Probe(service.LivenessPath, periodSeconds: 10, failureThreshold: 3),
                SecurityContext = PodSecurity.Container(),
                // the only writable path: ASP.NET Core and the runtime need a temp directory
                VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
            },
        ],
        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
    };

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = 2,
    };

    private static List<V1EnvVar> Environment(ClusterPlan plan, AppService service, string version)
    {
        var (scope, topology) = (plan.Scope, plan.Topology);
        var sampling = (scope.Config.Tracing.SamplingPercent / 100.0).ToString("0.####", CultureInfo.InvariantCulture);
        var env = new List<V1EnvVar>
        {
            Var("ASPNETCORE_HTTP_PORTS", service.Port.ToString(CultureInfo.InvariantCulture)),
            FromField("POD_NAME", "metadata.name"),
            FromField("POD_NAMESPACE", "metadata.namespace"),
            Var("OTEL_SERVICE_NAME", service.Name),
            // $(VAR) is expanded by the kubelet from the variables above
            Var("OTEL_RESOURCE_ATTRIBUTES",
                $"service.version={version},deployment.environment={scope.Config.Stack},k8s.cluster.name={scope.Cluster.Name},k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)"),
            Var("OTEL_EXPORTER_OTLP_ENDPOINT", CollectorEndpoint.GrpcUrl),
            Var("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            // parent-based: a request the proxy or the caller sampled is sampled here too, so spans line up
            Var("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
            Var("OTEL_TRACES_SAMPLER_ARG", sampling),
            // the mesh retries idempotent routes; the app must not retry on top (attempts would multiply)
            Var("Resilience__AppRetries", plan.MeshRetries ? "false" : "true"),
        };
        foreach (var callee in topology.Calls.Where(c => c.From == service).Select(c => c.To).Distinct())
            env.Add(Var($"Downstream__{PascalCase(callee.Name)}", $"http://{callee.Name}.{topology.Namespace}.svc.cluster.local:{callee.Port}"));
        return env;
    }

    public static V1EnvVar Var(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar FromField(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } };

    internal static string PascalCase(string name) =>
        string.Concat(name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    public static Dictionary<string, string> Labels(AppTopology app, AppService service, string imageTag, string? version = null) => new()
    {
        ["app"] = service.Name,
        ["version"] = version ?? service.Version,
        ["app.kubernetes.io/name"] = service.Name,
        ["app.kubernetes.io/version"] = imageTag,
        ["app.kubernetes.io/part-of"] = app.Name,
        ["app.kubernetes.io/managed-by"] = "pulumi",
    };

    private static V1ObjectMeta Meta(string name, string ns, IDictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels) };
}
