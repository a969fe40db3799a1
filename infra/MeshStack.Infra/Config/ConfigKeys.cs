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

    public static readonly ConfigKey Mesh = new("mesh", "string", "Service mesh: istio or linkerd.", "linkerd");
    public static readonly ConfigKey Clusters = new("clusters", "array",
        "Clusters: list of {name, context, network?}; name matches [a-z0-9-]+ and is unique.", ItemsType: "object");
    public static readonly ConfigKey Mtls = new("mtls", "string", "Mesh mTLS mode: strict or permissive.", "strict");
    public static readonly ConfigKey Images = new("images", "object", "Container images: {registry, tag}; image = <registry>/<service>:<tag>.",
        new JsonObject { ["registry"] = "ghcr.io/meshstack", ["tag"] = "0.1.0" });
    public static readonly ConfigKey Replicas = new("replicas", "integer", "Replicas of every ecommerce service (1-50).", 1);
    public static readonly ConfigKey Tracing = new("tracing", "object", "Tracing: {samplingPercent} from 0 to 100.",
        new JsonObject { ["samplingPercent"] = 10 });
    public static readonly ConfigKey Charts = new("charts", "object", "Helm chart pins: {istio: {repository, version}, linkerd: {repository, version}}.",
        new JsonObject
        {
            ["istio"] = new JsonObject { ["repository"] = IstioChartRepo, ["version"] = "1.31.1" },
            ["linkerd"] = new JsonObject { ["repository"] = LinkerdChartRepo, ["version"] = "2026.8.3" },
        });
    public static readonly ConfigKey MeshId = new("meshId", "string", "Istio mesh ID, shared by every cluster of the mesh.", "meshstack");
    public static readonly ConfigKey Kubeconfig = new("kubeconfig", "string",
        "Optional kubeconfig contents (secret) for every cluster's provider; without it the ambient kubeconfig is used.", Secret: true);

    public static readonly ConfigKey MtlsOverrides = new("mtlsOverrides", "object",
        "Per-namespace mTLS modes that override mtls: {<namespace>: strict|permissive}, to migrate one namespace at a time.");
    public static readonly ConfigKey Jwt = new("jwt", "object",
        "JWT at the edge: {issuer, jwksUri, audiences: [..], requiredClaims: {<claim>: [values]}, paths?: [/orders*]}; absent means no JWT.");
    public static readonly ConfigKey Policy = new("policy", "object",
        "Policy pack: {warn: [rule-id, ...]} lowers rules to warnings; render reports them, program still fails on them.");

    public static IReadOnlyList<ConfigKey> All { get; } = [Mesh, Clusters, Mtls, Images, Replicas, Tracing, Charts, MeshId, Kubeconfig, MtlsOverrides, Jwt, Policy];
}
