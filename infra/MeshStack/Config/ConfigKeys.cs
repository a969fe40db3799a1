using System.Text.Json.Nodes;

namespace MeshStack.Config;

/// <summary>A top-level stack config key, as <c>Pulumi.yaml</c> declares it (a test keeps the two equal).</summary>
public sealed record ConfigKey(string Name, string Type, string Description, JsonNode? Default = null, bool Secret = false, string? ItemsType = null)
{
    public string FullName => $"{ConfigKeys.Project}:{Name}";
}

/// <summary>Every top-level key of the stack, with its type and default. Defaults live here and nowhere else.</summary>
public static class ConfigKeys
{
    public const string Project = "mesh-stack";

    public const string IstioChartRepo = "https://blob.istio.io/istio-release/charts";
    public const string LinkerdChartRepo = "https://helm.linkerd.io/edge";
    public const string OpenTelemetryChartRepo = "https://open-telemetry.github.io/opentelemetry-helm-charts";
    public const string JaegerChartRepo = "https://jaegertracing.github.io/helm-charts";
    public const string PrometheusCommunityChartRepo = "https://prometheus-community.github.io/helm-charts";
    public const string KialiChartRepo = "https://kiali.org/helm-charts";
    public const string FlaggerChartRepo = "https://flagger.app";

    public static readonly ConfigKey App = new("app", "object",
        "The application, instead of the host's: {namespace?, name?, services: [{name, public?, database?, validatesTokens?, port?, image?, runAsUser?, routes: [{name, method, path: {exact | prefix | regex}, idempotent?, timeout?}], calls: [{service, routes?}]}]}; every other key names its services and routes.");
    public static readonly ConfigKey Mesh = new("mesh", "string", "Service mesh: istio or linkerd.", "linkerd");
    public static readonly ConfigKey Clusters = new("clusters", "array",
        "Clusters: list of {name, context, network?, server?, failover?, export?, services?, gatewayAddress?}; name matches [a-z0-9-]+ and is unique; server (the API server address the other clusters reach) is required with more than one cluster; export is gateway or remote-discovery (Linkerd); services lists the services that run there (default: all; each must run somewhere); gatewayAddress (Linkerd) is the gateway host name or IP the other clusters use when its LoadBalancer has no IP.", ItemsType: "object");
    public static readonly ConfigKey Mtls = new("mtls", "string", "Mesh mTLS mode: strict or permissive.", "strict");
    public static readonly ConfigKey Images = new("images", "object", "Container images: {registry, tag}; image = <registry>/<service>:<tag>.",
        new JsonObject { ["registry"] = "ghcr.io/meshstack", ["tag"] = "0.1.0" });
    public static readonly ConfigKey Replicas = new("replicas", "integer", "Replicas of every ecommerce service (1-50).", 1);
    public static readonly ConfigKey Tracing = new("tracing", "object", "Tracing: {samplingPercent} from 0 to 100.",
        new JsonObject { ["samplingPercent"] = 10 });
    public static readonly ConfigKey Charts = new("charts", "object",
        "Helm chart pins, each {repository, version}: istio, linkerd (also linkerd-viz), otelCollector, jaeger, kubePrometheusStack (Istio only), kiali (Istio only), flagger (only with traffic.canary.automated).",
        new JsonObject
        {
            ["istio"] = new JsonObject { ["repository"] = IstioChartRepo, ["version"] = "1.31.1" },
            ["linkerd"] = new JsonObject { ["repository"] = LinkerdChartRepo, ["version"] = "2026.8.3" },
            ["otelCollector"] = new JsonObject { ["repository"] = OpenTelemetryChartRepo, ["version"] = "0.170.0" },
            ["jaeger"] = new JsonObject { ["repository"] = JaegerChartRepo, ["version"] = "4.11.1" },
            ["kubePrometheusStack"] = new JsonObject { ["repository"] = PrometheusCommunityChartRepo, ["version"] = "81.6.2" },
            ["kiali"] = new JsonObject { ["repository"] = KialiChartRepo, ["version"] = "2.31.0" },
            // 1.41.0: the last Flagger that advances a Gateway API canary under Linkerd edge-26.8.3
            // (Flagger/FlaggerLinkerdCompatibility.cs, linkerd/linkerd2#14964)
            ["flagger"] = new JsonObject { ["repository"] = FlaggerChartRepo, ["version"] = "1.41.0" },
        });
    public static readonly ConfigKey MeshId = new("meshId", "string", "Istio mesh ID, shared by every cluster of the mesh.", "meshstack");
    public static readonly ConfigKey Kubeconfig = new("kubeconfig", "string",
        "Optional kubeconfig contents (secret) for every cluster's provider; without it the ambient kubeconfig is used.", Secret: true);

    public static readonly ConfigKey Database = new("database", "object", "PostgreSQL per cluster: {image, storageSize, storageClass?}.",
        new JsonObject { ["image"] = "postgres:17.6", ["storageSize"] = "5Gi" });

    public static readonly ConfigKey Traffic = new("traffic", "object",
        "Traffic management per environment: {canary?: {service, weight (static) | automated: true + analysis?: {interval, threshold, maxWeight, stepWeight, iterations}, header?: {name, value}, tag?}, faults?: [{service, route?, percent, delay | abortStatus}], edge?: [{host, service}], services?: {<service>: {loadBalancer, hashHeader?}}, routes?: {<service>/<route>: {timeout?, retries?}}}.");

    public static readonly ConfigKey MtlsOverrides = new("mtlsOverrides", "object",
        "Per-namespace mTLS modes that override mtls: {<namespace>: strict|permissive}, to migrate one namespace at a time.");
    public static readonly ConfigKey Jwt = new("jwt", "object",
        "JWT at the edge: {issuer, jwksUri, audiences: [..], requiredClaims: {<claim>: [values]}, paths?: [/orders*]}; absent means no JWT.");
    public static readonly ConfigKey EdgeTls = new("edgeTls", "object",
        "HTTPS at the edge (used with traffic.edge): {secretName}, the kubernetes.io/tls Secret holding the edge hosts' certificate, made outside the stack (by hand or by cert-manager); Istio reads it in istio-ingress, Linkerd's Traefik in ecommerce. Plain HTTP is redirected to HTTPS.",
        new JsonObject { ["secretName"] = "edge-tls" });
    public static readonly ConfigKey Policy = new("policy", "object",
        "Policy pack: {warn: [rule-id, ...]} lowers rules to warnings; render reports them, program still fails on them.");

    public static IReadOnlyList<ConfigKey> All { get; } = [App, Mesh, Clusters, Mtls, Images, Replicas, Tracing, Charts, MeshId, Kubeconfig, Database, Traffic, MtlsOverrides, Jwt, EdgeTls, Policy];
}
