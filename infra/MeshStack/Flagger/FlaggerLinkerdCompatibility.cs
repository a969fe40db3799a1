using MeshStack.Config;

namespace MeshStack.Flagger;

/// <summary>
/// Flagger from 1.42.0 holds a Gateway API canary until the HTTPRoute's Accepted condition reports an
/// observedGeneration at least the route's generation (fluxcd/flagger pkg/router/gateway_api.go, v1.42.0:285,
/// v1.44.0:279). Linkerd's policy controller, which writes that status for routes on a Service, never sets
/// observedGeneration (linkerd/linkerd2 edge-26.8.3 policy-controller/k8s/status/src/index.rs 1889-1898;
/// linkerd/linkerd2#14964), so with Linkerd such a canary never advances. 1.41.x has no such wait. On Istio Flagger
/// uses its Istio router (pkg/router/factory.go 110-111), which has no such wait, so any version works there.
/// </summary>
public static class FlaggerLinkerdCompatibility
{
    /// <summary>The first Flagger version that waits for observedGeneration.</summary>
    public static readonly Version FirstWaitingVersion = new(1, 42, 0);

    /// <summary>Refuses a pin that waits; the config binder calls it for a Linkerd stack only.</summary>
    public static void Check(ConfigObject root, ChartPin flagger, bool automatedCanary)
    {
        if (!automatedCanary) return;
        var numeric = flagger.Version.Split('-', '+')[0];
        if (!Version.TryParse(numeric, out var version) || version < FirstWaitingVersion) return;
        root.Problems.Add($"{root.PathOf(ConfigKeys.Charts.Name)}.flagger.version",
            $"Flagger {flagger.Version} waits for an observedGeneration on the HTTPRoute's Accepted condition that Linkerd's policy " +
            "controller never sets (linkerd/linkerd2#14964): the canary would never advance. Use 1.41.x with Linkerd (the default).");
    }
}
