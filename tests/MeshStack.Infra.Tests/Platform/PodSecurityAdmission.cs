using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Platform;

/// <summary>
/// Pod Security admission of meshed pods in a Linkerd program. Without the CNI plugin (cniEnabled, default false:
/// linkerd-control-plane values.yaml 62) every injected pod carries linkerd-init, which adds NET_ADMIN and NET_RAW
/// (linkerd2 edge-26.8.3 charts/partials/templates/_proxy-init.tpl 60-63); the control plane's own pods include it
/// from their templates (linkerd-control-plane templates/destination.yaml 423, identity.yaml 255, proxy-injector.yaml
/// 157). Kubernetes' baseline level admits only its default capability set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER,
/// FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT; pod-security-admission
/// policy/check_capabilities_baseline.go) and restricted none beyond NET_BIND_SERVICE, so only <c>privileged</c> admits them.
/// </summary>
public static class PodSecurityAdmission
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    private static readonly HashSet<string> BaselineCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    private static readonly string[] ProxyInitCapabilities = ["NET_ADMIN", "NET_RAW"];

    /// <summary>Charts whose pods Linkerd meshes from their own templates or their namespace's annotation.</summary>
    private static readonly HashSet<string> LinkerdCharts = ["linkerd-control-plane", "linkerd-viz", "linkerd-multicluster"];

    public static bool Admits(string level, IEnumerable<string> addedCapabilities) => level switch
    {
        "privileged" => true,
        "baseline" => addedCapabilities.All(BaselineCapabilities.Contains),
        _ => addedCapabilities.All(c => c == "NET_BIND_SERVICE"),
    };

    /// <summary>For every workload of the program whose pods get linkerd-init: (provider, namespace, workload) refused under <paramref name="clusterDefault"/>.</summary>
    public static List<string> Refused(JsonObject program, string clusterDefault)
    {
        var graph = new ProgramGraph(program);
        var namespaces = graph.All.Where(r => r.Resource["type"]!.GetValue<string>() == "kubernetes:core/v1:Namespace")
            .ToDictionary(r => (graph.Provider(r.Name), r.Resource["properties"]!["metadata"]!["name"]!.GetValue<string>()), r => r.Resource["properties"]!["metadata"]!.AsObject());
        var refused = new List<string>();
        foreach (var (name, resource) in graph.All)
        {
            var type = resource["type"]!.GetValue<string>();
            var props = resource["properties"] as JsonObject;
            string? ns;
            bool injected;
            var provider = graph.Provider(name);
            if (type is "kubernetes:apps/v1:Deployment" or "kubernetes:apps/v1:StatefulSet")
            {
                ns = props!["metadata"]!["namespace"]?.GetValue<string>();
                var podInject = props["spec"]!["template"]!["metadata"]?["annotations"]?["linkerd.io/inject"]?.GetValue<string>();
                injected = podInject == "enabled" || (podInject != "disabled" && NamespaceInjects(namespaces, provider, ns));
            }
            else if (type == "kubernetes:helm.sh/v3:Release")
            {
                ns = props!["namespace"]?.GetValue<string>();
                var chart = props["chart"]!.GetValue<string>();
                var cni = ChartValues.Truthy(props["values"]?["cniEnabled"]);
                injected = !cni && (LinkerdCharts.Contains(chart) || NamespaceInjects(namespaces, provider, ns));
            }
            else continue;
            if (!injected || ns is null) continue;
            var level = namespaces.TryGetValue((provider, ns), out var meta) && meta["labels"]?[EnforceLabel]?.GetValue<string>() is { } l ? l : clusterDefault;
            if (!Admits(level, ProxyInitCapabilities)) refused.Add($"{name} in {ns} ({level})");
        }
        return refused;
    }

    private static bool NamespaceInjects(Dictionary<(string?, string), JsonObject> namespaces, string? provider, string? ns) =>
        ns is not null && namespaces.TryGetValue((provider, ns), out var meta) && meta["annotations"]?["linkerd.io/inject"]?.GetValue<string>() == "enabled";
}
