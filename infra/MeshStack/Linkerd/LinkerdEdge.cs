using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Graph;
using MeshStack.Synthesis;
using MeshStack.Topology;
using MeshStack.Traffic;

namespace MeshStack.Linkerd;

/// <summary>
/// Linkerd has no ingress of its own: the edge is Traefik, meshed (its pods get a Linkerd proxy), reading
/// Kubernetes Ingress objects. Traefik sends to the Service's cluster IP (native load balancing) rather than
/// to pod IPs, so its proxy applies the Service's HTTPRoutes: edge traffic gets the same canary weights,
/// timeouts and retries as mesh traffic.
/// </summary>
public static class LinkerdEdge
{
    public const string Namespace = "edge";
    public const string IngressClass = "traefik";
    /// <summary>Marks the namespace whose workloads face clients outside the mesh (the policy pack exempts it from strict mTLS).</summary>
    public const string EdgeLabel = "meshstack.io/edge";

    /// <summary>Traefik's ServiceAccount: its mesh identity, which the app's authorization policies admit.</summary>
    public const string ServiceAccount = "traefik";
    public const string ChartRepository = "https://traefik.github.io/charts";
    public const string ChartVersion = "37.1.1";

    public static void Build(ClusterBuild build, TrafficIntent intent, IEnumerable<Resource> routes)
    {
        if (intent.Edge.Count == 0) return;
        var scope = build.Scope;
        var ns = scope.Namespace("ns-edge", Namespace,
            labels: new Dictionary<string, string> { [EdgeLabel] = "true" },
            annotations: new Dictionary<string, string>
            {
                ["linkerd.io/inject"] = "enabled",
                // the edge exists to accept clients from outside the mesh; what it forwards is meshed and authorized
                ["config.linkerd.io/default-inbound-policy"] = "all-unauthenticated",
            },
            dependsOn: [build.Install.ControlPlane]);
        // the chart makes a ServiceAccount only when none is named; naming one (the identity the policies admit)
        // means the stack makes it
        var account = scope.Add("traefik-sa", new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = ServiceAccount,
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "traefik" },
            },
        }, ns);
        var values = new JsonObject
        {
            ["providers"] = new JsonObject
            {
                // Traefik's own CRDs are not needed: plain Ingress objects describe the edge
                ["kubernetesCRD"] = new JsonObject { ["enabled"] = false },
                ["kubernetesIngress"] = new JsonObject { ["enabled"] = true, ["nativeLBByDefault"] = true },
            },
            ["ingressClass"] = new JsonObject { ["enabled"] = true, ["isDefaultClass"] = false, ["name"] = IngressClass },
            ["service"] = new JsonObject { ["type"] = "LoadBalancer" },
            ["serviceAccount"] = new JsonObject { ["name"] = ServiceAccount },
            ["ports"] = new JsonObject
            {
                // plain HTTP only redirects (traefik-helm-chart v37.1.1 _podtemplate.tpl 652-672); routes are on websecure
                ["web"] = new JsonObject
                {
                    ["redirections"] = new JsonObject
                    {
                        ["entryPoint"] = new JsonObject { ["to"] = SecureEntryPoint, ["scheme"] = "https", ["permanent"] = true },
                    },
                },
                [SecureEntryPoint] = new JsonObject { ["tls"] = new JsonObject { ["enabled"] = true } },
            },
        };
        StripInternalHeaders(values, EdgeHeaders.Stripped(intent));
        var traefik = scope.HelmRelease("traefik", new HelmReleaseArgs
        {
            Name = "traefik",
            Chart = "traefik",
            Version = ChartVersion,
            Namespace = Namespace,
            RepositoryOpts = new HelmRepositoryOpts(ChartRepository),
            Values = values,
        }, [ns, account]);

        var app = build.Topology.Namespace;
        foreach (var edge in intent.Edge)
        {
            var service = intent.Service(edge.Service);
            scope.Add($"ingress-{edge.Host.Replace('.', '-').Replace("*", "wildcard", StringComparison.Ordinal)}", new V1Ingress
            {
                Metadata = new V1ObjectMeta
                {
                    Name = edge.ObjectName,
                    NamespaceProperty = app,
                    // served on HTTPS only, TLS terminated by Traefik (traefik v3.5.2 pkg/provider/kubernetes/ingress/annotations.go
                    // 18-32, kubernetes.go 670-681)
                    Annotations = new Dictionary<string, string>
                    {
                        ["traefik.ingress.kubernetes.io/router.entrypoints"] = SecureEntryPoint,
                        ["traefik.ingress.kubernetes.io/router.tls"] = "true",
                    },
                },
                Spec = new V1IngressSpec
                {
                    IngressClassName = IngressClass,
                    // the certificate: a Secret in the Ingress's own namespace (kubernetes.go 729-743)
                    Tls = [new V1IngressTLS { Hosts = [edge.Host], SecretName = build.Scope.Config.EdgeTls.SecretName }],
                    Rules =
                    [
                        new V1IngressRule
                        {
                            Host = edge.Host,
                            Http = new V1HTTPIngressRuleValue { Paths = Paths(service).ToList() },
                        },
                    ],
                },
            }, [build.AppNamespace, traefik, .. routes]);
        }
    }

    /// <summary>The middleware (file provider) that removes the internal headers on every entry point that routes.</summary>
    public const string StripMiddleware = "strip-internal-headers";

    /// <summary>The chart's HTTPS entry point, where the Ingress routers are.</summary>
    public const string SecureEntryPoint = "websecure";

    /// <summary>The chart's HTTP and HTTPS entry points.</summary>
    public static readonly IReadOnlyList<string> EntryPoints = ["web", SecureEntryPoint];

    /// <summary>
    /// Removes the internal headers from every request before Traefik routes it: a headers middleware whose custom
    /// request header is empty deletes it (traefik v3.5.2 pkg/middlewares/headers/header.go 68-77), defined through the
    /// chart's file provider (no Traefik CRDs are installed; traefik-helm-chart v37.1.1 templates/provider-file-cm.yaml,
    /// _podtemplate.tpl 639-646) and attached to the entry points (_podtemplate.tpl 675-676). JSON is valid YAML, so the
    /// dynamic configuration is written as JSON.
    /// </summary>
    private static void StripInternalHeaders(JsonObject values, IReadOnlyList<string> headers)
    {
        if (headers.Count == 0) return;
        var custom = new JsonObject();
        foreach (var h in headers) custom[h] = "";
        var dynamic = new JsonObject
        {
            ["http"] = new JsonObject { ["middlewares"] = new JsonObject { [StripMiddleware] = new JsonObject { ["headers"] = new JsonObject { ["customRequestHeaders"] = custom } } } },
        };
        ((JsonObject)values["providers"]!)["file"] = new JsonObject { ["enabled"] = true, ["content"] = dynamic.ToJsonString() };
        var ports = values["ports"] as JsonObject ?? [];
        values["ports"] = ports;
        // both entry points: a router that ever lands on plain HTTP must not pass the headers either
        foreach (var name in EntryPoints)
        {
            var entry = ports[name] as JsonObject ?? [];
            ports[name] = entry;
            entry["middlewares"] = new JsonArray($"{StripMiddleware}@file");
        }
    }

    /// <summary>
    /// The service's route paths, each once: the Ingress only has to reach the Service; per-route policy
    /// (method, timeout, retries) is the HTTPRoutes' job. A path that is both exact and a prefix is a prefix.
    /// </summary>
    private static IEnumerable<V1HTTPIngressPath> Paths(ServiceTraffic s) =>
        s.AllRoutes.Select(r => r.Path)
            // Ingress has no regex paths: a regex route is reached through the literal prefix before it
            .Select(p => p.Kind == PathMatchKind.Regex ? (Path: LiteralPrefix(p.Value), Prefix: true) : (Path: p.Value, Prefix: p.Kind == PathMatchKind.Prefix))
            .GroupBy(p => p.Path, StringComparer.Ordinal)
            .Select(g => Path(g.Key, g.Any(p => p.Prefix), s));

    private static V1HTTPIngressPath Path(string path, bool prefix, ServiceTraffic s) => new()
    {
        Path = path,
        PathType = prefix ? "Prefix" : "Exact",
        Backend = new V1IngressBackend
        {
            Service = new V1IngressServiceBackend { Name = s.Name, Port = new V1ServiceBackendPort { Number = s.Service.Port } },
        },
    };

    private static string LiteralPrefix(string regex)
    {
        var end = regex.IndexOfAny(['[', '(', '.', '*', '+', '?', '\\', '{', '|', '^', '$']);
        var literal = end < 0 ? regex : regex[..end];
        var slash = literal.LastIndexOf('/');
        return slash <= 0 ? "/" : literal[..slash];
    }
}
