using MeshStack.Config;
using MeshStack.Linkerd;
using MeshStack.Meshes;

namespace MeshStack.Security.Policy.Rules;

/// <summary>Production (stack <c>prod</c> or <c>prod-*</c>) accepts only mutually authenticated traffic, in every namespace.</summary>
public sealed class ProdRequiresStrictMtls : PolicyRule
{
    public override string Id => "prod-strict-mtls";
    public override bool ReadsConfig => true;
    public override string Summary => "prod stacks render strict mTLS everywhere (no permissive PeerAuthentication or Linkerd inbound policy)";

    private static readonly string[] AuthenticatedPolicies = ["all-authenticated", "cluster-authenticated", "deny"];

    /// <summary>Case-insensitive: Pulumi.Prod.yaml is as much production as Pulumi.prod.yaml.</summary>
    public static bool IsProd(string stack) => stack.Equals("prod", StringComparison.OrdinalIgnoreCase) || stack.StartsWith("prod-", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<PolicyFinding> Check(PolicyContext context)
    {
        if (!IsProd(context.Config.Stack)) yield break;
        var fix = $"set {ConfigKeys.Mtls.FullName}: strict and remove permissive entries from {ConfigKeys.MtlsOverrides.FullName}";
        foreach (var pa in context.OfKind("security.istio.io", "PeerAuthentication"))
        {
            var modes = new[] { pa.Spec?["mtls"]?["mode"]?.GetValue<string>() }
                .Concat((pa.Spec?["portLevelMtls"]?.AsObject() ?? []).Select(p => p.Value?["mode"]?.GetValue<string>()));
            foreach (var mode in modes.Where(m => m is "PERMISSIVE" or "DISABLE"))
                yield return Finding(pa, $"mTLS mode {mode} in a prod stack", fix);
        }
        // a mesh whose policy has a mesh-wide namespace (Istio's root) must say STRICT there
        if (MeshCatalog.Create(context.Config.Mesh).Security.MeshWideNamespace is { } root)
        {
            foreach (var cluster in context.Config.Clusters.Select(c => c.Name))
            {
                if (!context.OfKind("security.istio.io", "PeerAuthentication").Any(p => p.Cluster == cluster && p.Namespace == root
                        && p.Spec?["selector"] is null && p.Spec?["mtls"]?["mode"]?.GetValue<string>() == "STRICT"))
                    yield return Finding($"cluster {cluster}", new(cluster, "Namespace", null, root), "no mesh-wide STRICT PeerAuthentication in the root namespace", fix);
            }
        }
        foreach (var ns in context.OfKind("", "Namespace"))
        {
            var annotations = ns.Object["metadata"]?["annotations"];
            if (annotations?["linkerd.io/inject"]?.GetValue<string>() != "enabled") continue;
            // the edge's proxies face the internet, like Istio's ingress gateway; only what they forward is mesh traffic
            if (ns.Object["metadata"]?["labels"]?[LinkerdEdge.EdgeLabel]?.GetValue<string>() == "true") continue;
            var policy = annotations[LinkerdSecurityRenderer.DefaultInboundPolicyAnnotation]?.GetValue<string>();
            if (policy is null || !AuthenticatedPolicies.Contains(policy))
                yield return Finding(ns, $"meshed namespace with default inbound policy '{policy ?? "unset (cluster default all-unauthenticated)"}' in a prod stack", fix);
        }
    }
}
