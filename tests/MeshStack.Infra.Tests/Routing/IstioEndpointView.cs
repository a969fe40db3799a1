using System.Text.Json.Nodes;
using MeshStack.Output;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Routing;

/// <summary>
/// Which clusters' endpoints a sidecar in one cluster of an Istio multi-primary render is sent for a host, as istiod
/// computes them at release-1.31 (a8d7012):
/// - each istiod merges the endpoints of every cluster it reads through a remote secret (Secrets labelled
///   istio/multiCluster=true, one per cluster: pilot/pkg/serviceregistry/kube/controller/multicluster.go) with its own;
/// - a host listed in meshConfig.serviceSettings with clusterLocal true (pilot/pkg/model/cluster_local.go 108-133, read
///   by IsClusterLocal at 38) keeps only the endpoints whose cluster is the proxy's (pilot/pkg/xds/endpoints/
///   endpoint_builder.go 126 and 607-611).
/// A cluster has endpoints for a host when it runs pods its Service selects (app=&lt;service&gt;; Flagger's
/// &lt;service&gt;-primary copy and the &lt;service&gt;-canary Service select the pods of the Deployment it delivers).
/// </summary>
public sealed class IstioEndpointView(EmittedStack stack)
{
    private readonly List<ManifestFile> _manifests = stack.Manifests.ToList();

    public IReadOnlyList<string> Clusters => _manifests.Select(m => m.Cluster).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The clusters whose endpoints a caller in <paramref name="caller"/> may reach for the Service <paramref name="service"/> of <paramref name="ns"/>.</summary>
    public IReadOnlyList<string> Reachable(string caller, string service, string ns)
    {
        var host = $"{service}.{ns}.svc.cluster.local";
        var seen = Clusters.Where(c => c == caller || ReadsRemote(caller, c));
        if (IsClusterLocal(caller, host)) seen = seen.Where(c => c == caller);
        return seen.Where(c => RunsPods(c, service, ns)).ToList();
    }

    public bool RunsPods(string cluster, string service, string ns)
    {
        var app = service.EndsWith("-primary", StringComparison.Ordinal) || service.EndsWith("-canary", StringComparison.Ordinal)
            ? service[..service.LastIndexOf('-')] : service;
        return Objects(cluster).Any(o => o["kind"]!.GetValue<string>() is "Deployment" or "StatefulSet"
            && o["metadata"]!["namespace"]?.GetValue<string>() == ns
            && o["spec"]!["template"]!["metadata"]!["labels"]!["app"]?.GetValue<string>() == app);
    }

    private bool ReadsRemote(string caller, string other) =>
        Objects(caller).Any(o => o["kind"]!.GetValue<string>() == "Secret"
            && o["metadata"]!["labels"]?["istio/multiCluster"]?.GetValue<string>() == "true"
            && o["metadata"]!["annotations"]?["networking.istio.io/cluster"]?.GetValue<string>() == other);

    private bool IsClusterLocal(string cluster, string host)
    {
        var settings = Istiod(cluster)["meshConfig"]?["serviceSettings"]?.AsArray() ?? [];
        bool? local = null;
        foreach (var s in settings)
        {
            var isLocal = s!["settings"]?["clusterLocal"]?.GetValue<bool>() ?? false;
            foreach (var h in s["hosts"]!.AsArray().Select(h => h!.GetValue<string>()))
                if (h == host || (h.StartsWith('*') && host.EndsWith(h[1..], StringComparison.Ordinal))) local = isLocal;
        }
        return local ?? false;
    }

    /// <summary>The istiod release values of a cluster, as the program passes them (the emitted program's resource <c>&lt;cluster&gt;-istiod</c>).</summary>
    public JsonObject Istiod(string cluster) =>
        ChartValues.Releases(stack).Single(r => r.Resource == $"{cluster}-istiod").Values;

    private IEnumerable<JsonObject> Objects(string cluster) => _manifests.Where(m => m.Cluster == cluster).Select(m => m.Parse());
}
