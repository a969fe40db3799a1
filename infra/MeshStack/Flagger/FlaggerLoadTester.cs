using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Config;
using MeshStack.Crds.Flagger.V1beta1;
using MeshStack.Graph;
using MeshStack.Kubernetes;
using MeshStack.Meshes;
using MeshStack.Security;
using MeshStack.Synthesis;
using MeshStack.Topology;

namespace MeshStack.Flagger;

/// <summary>
/// Flagger's load tester, for a mesh whose canary analysis needs one (Linkerd): the analysis judges the canary on requests from meshed callers only
/// (<c>tls="true"</c>), and needs enough of them, so a canary that gets no real traffic is driven by the load tester.
/// It runs meshed under its own ServiceAccount, and is authorized on exactly the routes it drives: the canary
/// service's first exact-path read (order: <c>GET /orders</c>), sent to the <c>-canary</c> Service so the pods under
/// analysis get the load whatever the weight.
/// </summary>
public static class FlaggerLoadTester
{
    public const string ReleaseName = "flagger-loadtester";
    public const string Chart = "loadtester";
    /// <summary>The loadtester chart published with Flagger 1.41.0 (charts/loadtester/Chart.yaml at v1.41.0).</summary>
    public const string ChartVersion = "0.35.0";
    public const string ServiceAccount = "flagger-loadtester";

    /// <summary>Requests per second the load tester sends, above <see cref="Traffic.CanaryAnalysis.MinRequestsPerSecond"/>.</summary>
    public const int RequestsPerSecond = 10;

    public static Peer Peer { get; } = new(ReleaseName, FlaggerRelease.Namespace, ServiceAccount);

    /// <summary>Whether a stack gets the load tester: an automated canary on a mesh whose analysis needs one (Linkerd).</summary>
    public static bool Installed(StackConfig config) =>
        config.Traffic.Canary is { Automated: true } && MeshCatalog.Create(config.Mesh).Delivery.NeedsLoadTester;

    /// <summary>The routes of the canary's service the load tester drives: one idempotent read with an exact path.</summary>
    public static IReadOnlyList<ApiRoute> Routes(AppService service) =>
        service.Routes.Where(r => r.Method == "GET" && r.Path.Kind == PathMatchKind.Exact).Take(1).ToList();

    /// <summary>The grant that lets the load tester call those routes, when it is installed.</summary>
    public static IEnumerable<AccessGrant> Grants(StackConfig config, AppTopology topology) =>
        Installed(config) && topology.Services.FirstOrDefault(s => s.Name == config.Traffic.Canary!.Service) is { } service
            ? [new AccessGrant(Peer, service, Routes(service))]
            : [];

    public static Resource Install(ClusterBuild build, Resource flaggerNamespace)
    {
        var scope = build.Scope;
        var sa = scope.Add("flagger-loadtester-sa", new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = ServiceAccount, NamespaceProperty = FlaggerRelease.Namespace },
            AutomountServiceAccountToken = false,
        }, flaggerNamespace);
        // its own identity, which the app's policy authorizes (the chart otherwise runs it as "default")
        var values = new JsonObject { ["serviceAccountName"] = ServiceAccount };
        build.Mesh.Delivery.AddLoadTesterValues(values);
        values["securityContext"] = new JsonObject { ["enabled"] = true };
        var args = new ChartPin(scope.Config.Charts.Flagger.Repository, ChartVersion).Release(ReleaseName, Chart, FlaggerRelease.Namespace, values);
        return scope.HelmRelease(ReleaseName, args, [flaggerNamespace, sa, build.Install.ControlPlane]);
    }

    /// <summary>The Canary's rollout webhook: before each check, the load tester runs hey against the canary pods.</summary>
    public static CanarySpecAnalysisWebhooks Webhook(AppService service, string ns, TimeSpan interval) => new()
    {
        Name = "load-test",
        Type = CanarySpecAnalysisWebhooksType.Rollout,
        Url = $"http://{ReleaseName}.{FlaggerRelease.Namespace}/",
        Timeout = "5s",
        Metadata = new Dictionary<string, string>
        {
            ["cmd"] = string.Create(CultureInfo.InvariantCulture,
                $"hey -z {Traffic.Duration.Format(interval)} -q {RequestsPerSecond} -c 1 http://{FlaggerNames.Canary(service.Name)}.{ns}:{service.Port}{Routes(service)[0].Path.Value}"),
        },
    };
}
