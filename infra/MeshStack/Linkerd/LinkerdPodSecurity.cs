using k8s.Models;
using MeshStack.Graph;
using MeshStack.Synthesis;

namespace MeshStack.Linkerd;

/// <summary>
/// Pod Security admission for the namespaces where Linkerd injects proxies. Without the CNI plugin every meshed pod
/// carries the <c>linkerd-init</c> container, which adds NET_ADMIN and NET_RAW to write its iptables rules: the
/// baseline and restricted levels refuse that, so on a cluster whose default level is one of them the pods would
/// never be admitted. Each such namespace is labelled <c>privileged</c>, as Linkerd's own charts label theirs
/// without CNI. The CNI plugin is not used: it is a privileged DaemonSet of its own, and a pod scheduled on a node
/// before the plugin is ready there fails its network validation.
/// </summary>
public sealed class LinkerdPodSecurity : IStackComponent
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";
    public const string Privileged = "privileged";

    public void Complete(ResourceGraph graph)
    {
        foreach (var resource in graph.Resources)
        {
            if (resource.Inputs is not V1Namespace { Metadata: { } meta } || !RunsProxyInit(meta)) continue;
            meta.Labels ??= new Dictionary<string, string>();
            meta.Labels[EnforceLabel] = Privileged;
        }
    }

    /// <summary>Proxies are injected where the namespace asks for them; the control plane's own pods carry them too.</summary>
    public static bool RunsProxyInit(V1ObjectMeta meta) =>
        (meta.Annotations?.TryGetValue("linkerd.io/inject", out var inject) == true && inject == "enabled")
        || (meta.Labels?.TryGetValue("linkerd.io/is-control-plane", out var cp) == true && cp == "true");
}
