using System.Text.Json.Nodes;
using k8s.Models;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Routing;

/// <summary>
/// Item 10 of issue 13 (sidecar sizing): an app sidecar gets configuration only for what it may call, and the memory
/// Istio sizes its proxies at. Istio release-1.31 (a8d7012): pilot/pkg/model/push_context.go 1176 (a proxy takes its
/// namespace's Sidecar, else the default scope that imports every Service it can see); pilot/pkg/model/sidecar.go
/// 489-545 (egress hosts are namespace/dnsName, "." the Sidecar's own namespace, "*" any) and 797-815 (a Service is
/// imported when a host of its namespace matches it); istio-discovery values.yaml 399-405 (global.proxy.resources:
/// requests 100m/128Mi, limits 2000m/1024Mi, what every sidecar gets unless its pod's annotations say otherwise).
/// </summary>
public class SidecarScopeTests
{
    /// <summary>Whether a proxy in <paramref name="podNs"/> with the given Sidecar egress hosts (null: no Sidecar) receives the Service.</summary>
    public static bool Imports(IReadOnlyList<string>? egressHosts, string podNs, string serviceNs, string serviceName)
    {
        if (egressHosts is null) return true;
        foreach (var h in egressHosts)
        {
            var (ns, dns) = (h[..h.IndexOf('/')], h[(h.IndexOf('/') + 1)..]);
            if (ns == ".") ns = podNs;
            if (ns != "*" && ns != serviceNs) continue;
            var fqdn = $"{serviceName}.{serviceNs}.svc.cluster.local";
            if (dns == "*" || dns == fqdn || (dns.StartsWith("*.", StringComparison.Ordinal) && fqdn.EndsWith(dns[1..], StringComparison.Ordinal))) return true;
        }
        return false;
    }

    /// <summary>The default (selector-less) Sidecar's egress hosts in a namespace of a cluster's render, or null.</summary>
    public static IReadOnlyList<string>? EgressHosts(IEnumerable<JsonObject> objects, string ns) =>
        objects.Where(o => o["kind"]!.GetValue<string>() == "Sidecar" && o["metadata"]!["namespace"]?.GetValue<string>() == ns && o["spec"]!["workloadSelector"] is null)
            .Select(o => o["spec"]!["egress"]!.AsArray().SelectMany(e => e!["hosts"]!.AsArray().Select(h => h!.GetValue<string>())).ToList())
            .FirstOrDefault();

    private static decimal Quantity(string q) => new ResourceQuantity(q).ToDecimal();

    [SkippableTheoryIfNoShared]
    [MemberData(nameof(StackCorpus.IstioNames), MemberType = typeof(StackCorpus))]
    public void Istio_app_sidecars_get_config_only_for_what_they_call_and_the_memory_istio_sizes_them_at(string name)
    {
        var stack = CorpusRender.Of(name);
        var proxyDefaults = ChartValues.Effective(Path.Combine(Repo.Shared!, "upstream", "istio", "charts", "istiod", "values.yaml"), [])["global"]!["proxy"]!["resources"]!;
        var app = EcommerceApp.Declare();
        foreach (var cluster in stack.Manifests.Select(m => m.Cluster).Distinct())
        {
            var objects = stack.Manifests.Where(m => m.Cluster == cluster).Select(m => m.Parse()).ToList();
            var hosts = EgressHosts(objects, app.Namespace);
            // every call the app makes, its database and the collector it exports to are in scope
            foreach (var call in app.Calls) Assert.True(Imports(hosts, app.Namespace, app.Namespace, call.To.Name), $"{name}/{cluster}: {call.From.Name} cannot see {call.To.Name}");
            Assert.True(Imports(hosts, app.Namespace, app.Namespace, "postgres"));
            Assert.True(Imports(hosts, app.Namespace, "observability", "otel-collector"));
            // and the ingress gateway's namespace (whose Services no app calls) is not: the scope saves config
            Assert.False(Imports(hosts, app.Namespace, "istio-ingress", "istio-ingress"), $"{name}/{cluster}: app sidecars get every namespace's config");

            foreach (var d in objects.Where(o => o["kind"]!.GetValue<string>() == "Deployment" && o["metadata"]!["namespace"]?.GetValue<string>() == app.Namespace))
            {
                var annotations = d["spec"]!["template"]!["metadata"]!["annotations"]?.AsObject() ?? [];
                string Effective(string annotation, string kind, string resource) =>
                    annotations[annotation]?.GetValue<string>() ?? proxyDefaults[kind]![resource]!.GetValue<string>();
                Assert.True(Quantity(Effective("sidecar.istio.io/proxyMemory", "requests", "memory")) >= Quantity(proxyDefaults["requests"]!["memory"]!.GetValue<string>()),
                    $"{name}/{cluster} {d["metadata"]!["name"]}: sidecar memory request {Effective("sidecar.istio.io/proxyMemory", "requests", "memory")}");
                Assert.True(Quantity(Effective("sidecar.istio.io/proxyMemoryLimit", "limits", "memory")) >= Quantity(proxyDefaults["limits"]!["memory"]!.GetValue<string>()),
                    $"{name}/{cluster} {d["metadata"]!["name"]}: sidecar memory limit {Effective("sidecar.istio.io/proxyMemoryLimit", "limits", "memory")}");
            }
        }
    }

    /// <summary>Seeded fault: without a Sidecar every namespace's Services are pushed to the app's proxies.</summary>
    [Fact]
    public void Seeded_fault_without_a_sidecar_the_app_proxies_import_every_namespace()
    {
        Assert.True(Imports(null, "ecommerce", "istio-ingress", "istio-ingress"));
        Assert.False(Imports(["./*", "istio-system/*", "observability/*"], "ecommerce", "istio-ingress", "istio-ingress"));
        Assert.False(Imports(["./*"], "ecommerce", "observability", "otel-collector"));
    }
}
