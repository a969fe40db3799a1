using k8s.Models;
using MeshStack.Config;
using MeshStack.Graph;
using MeshStack.Synthesis;
using MeshStack.Topology;
using MeshStack.Workloads;

namespace MeshStack.Database;

/// <summary>Inputs of <c>random:index/randomPassword:RandomPassword</c>.</summary>
public sealed record RandomPasswordArgs(int Length, bool Special) : IProviderArgs;

/// <summary>
/// PostgreSQL for the services that keep orders and stock: a StatefulSet with its own volume, a headless
/// Service whose port name marks it as TCP (so the mesh treats it as opaque), and credentials made by the
/// random provider. The password travels only as a secret output into a Kubernetes Secret that the
/// Deployments read by reference; it is never in the program's text.
/// </summary>
public sealed class PostgresComponent : IStackComponent
{
    public const string Name = "postgres";
    public const string SecretName = "postgres-credentials";
    public const int Port = 5432;
    /// <summary>The postgres user of the official image.</summary>
    private const long PostgresUid = 999;

    /// <summary>A cluster has a database when a service that keeps state runs there; each cluster's is its own.</summary>
    private static bool Needed(ClusterPlan plan) => plan.LocalServices.Any(s => s.UsesDatabase);

    public void Configure(ClusterPlan plan)
    {
        if (!Needed(plan)) return;
        var host = $"{Name}.{plan.Topology.Namespace}.svc.cluster.local";
        plan.CustomizeDeployments((service, deployment) =>
        {
            if (!service.UsesDatabase) return;
            // libpq's standard variables: Npgsql reads them when no connection string is configured
            var env = deployment.Spec.Template.Spec.Containers[0].Env;
            foreach (var variable in (V1EnvVar[])
            [
                ServiceWorkloads.Var("PGHOST", host),
                ServiceWorkloads.Var("PGPORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ServiceWorkloads.Var("PGDATABASE", plan.Topology.Database.Name),
                FromSecret("PGUSER", "username"),
                FromSecret("PGPASSWORD", "password"),
            ]) env.Add(variable);
        });
    }

    /// <summary>The Service port's appProtocol, in each mesh's own vocabulary (<see cref="IServiceMesh.OpaqueTcpAppProtocol"/>).</summary>
    public static string AppProtocol(IServiceMesh mesh) => mesh.OpaqueTcpAppProtocol;

    public void Build(ClusterBuild build)
    {
        if (!Needed(build.Plan)) return;
        var scope = build.Scope;
        var ns = build.Topology.Namespace;
        var settings = scope.Config.Database;
        var labels = new Dictionary<string, string>
        {
            ["app"] = Name,
            ["app.kubernetes.io/name"] = Name,
            ["app.kubernetes.io/part-of"] = build.Topology.Name,
            ["app.kubernetes.io/managed-by"] = "pulumi",
        };

        var password = scope.Graph.Add(scope.Name("postgres-password"), TypeTokens.RandomPassword,
            new RandomPasswordArgs(Length: 32, Special: false), cluster: scope.Cluster.Name);
        var secret = scope.Add("postgres-credentials", new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = SecretName, NamespaceProperty = ns, Labels = labels },
            Type = "Opaque",
            StringData = new Dictionary<string, string>
            {
                ["username"] = build.Topology.Database.User,
                ["password"] = password.Output("result"),
                ["database"] = build.Topology.Database.Name,
            },
        }, build.AppNamespace);

        var service = scope.Add("postgres-service", new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = ns,
                Labels = labels,
                // carried as opaque TCP, as the mesh spells it (PostgreSQL is not HTTP)
                Annotations = build.Mesh.OpaqueTcpPortAnnotations(Port),
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None", // headless: the StatefulSet's stable network identity
                Selector = new Dictionary<string, string> { ["app"] = Name },
                // the tcp- prefix and appProtocol tell each mesh this is not HTTP (see AppProtocol)
                Ports = [new V1ServicePort { Name = "tcp-postgres", Port = Port, TargetPort = "postgres", Protocol = "TCP", AppProtocol = AppProtocol(build.Mesh) }],
            },
        }, build.AppNamespace);

        scope.Add("postgres-statefulset", StatefulSet(ns, labels, settings, build.Topology.Database, build.Mesh), build.AppNamespace, secret, service);
    }

    private static V1StatefulSet StatefulSet(string ns, Dictionary<string, string> labels, DatabaseConfig settings, AppDatabase database, IServiceMesh mesh) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1StatefulSetSpec
        {
            ServiceName = Name,
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = Name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = labels,
                    Annotations = mesh.OpaqueTcpPortAnnotations(Port),
                },
                Spec = new V1PodSpec
                {
                    AutomountServiceAccountToken = false,
                    TerminationGracePeriodSeconds = 60,
                    SecurityContext = PodSecurity.NonRoot(PostgresUid),
                    Containers =
                    [
                        new V1Container
                        {
                            Name = Name,
                            Image = settings.Image,
                            Ports = [new V1ContainerPort { Name = "postgres", ContainerPort = Port, Protocol = "TCP" }],
                            Env =
                            [
                                FromSecret("POSTGRES_USER", "username"),
                                FromSecret("POSTGRES_PASSWORD", "password"),
                                FromSecret("POSTGRES_DB", "database"),
                                // a subdirectory: the volume's root holds lost+found, which initdb refuses
                                ServiceWorkloads.Var("PGDATA", "/var/lib/postgresql/data/pgdata"),
                            ],
                            Resources = new V1ResourceRequirements
                            {
                                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("256Mi") },
                                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1000m"), ["memory"] = new("1Gi") },
                            },
                            ReadinessProbe = new V1Probe
                            {
                                Exec = new V1ExecAction { Command = ["pg_isready", "-U", database.User, "-d", database.Name, "-h", "127.0.0.1"] },
                                PeriodSeconds = 5,
                                TimeoutSeconds = 3,
                            },
                            LivenessProbe = new V1Probe
                            {
                                Exec = new V1ExecAction { Command = ["pg_isready", "-U", database.User, "-d", database.Name, "-h", "127.0.0.1"] },
                                InitialDelaySeconds = 30,
                                PeriodSeconds = 10,
                                TimeoutSeconds = 3,
                            },
                            SecurityContext = PodSecurity.Container(),
                            // writable paths besides the data volume: the socket directory and temp files
                            VolumeMounts =
                            [
                                new V1VolumeMount { Name = "data", MountPath = "/var/lib/postgresql/data" },
                                new V1VolumeMount { Name = "run", MountPath = "/var/run/postgresql" },
                                new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                            ],
                        },
                    ],
                    Volumes =
                    [
                        new V1Volume { Name = "run", EmptyDir = new V1EmptyDirVolumeSource() },
                        new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                    ],
                },
            },
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    Metadata = new V1ObjectMeta { Name = "data" },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        StorageClassName = settings.StorageClass,
                        Resources = new V1VolumeResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(settings.StorageSize) },
                        },
                    },
                },
            ],
        },
    };

    private static V1EnvVar FromSecret(string name, string key) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretName, Key = key } },
    };
}
