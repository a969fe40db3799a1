using System.Text.RegularExpressions;
using MeshStack.Graph;
using MeshStack.Topology;
using FlaggerCrd = MeshStack.Crds.Flagger.V1beta1;
using Gw = MeshStack.Crds.Gateway.Networking.K8s.V1;
using IstioCrd = MeshStack.Crds.Networking.Istio.V1;

namespace MeshStack.Tests.Support;

/// <summary>
/// Follows one client request along its call path through a cluster's rendered routing, the way each mesh picks a
/// rule (Istio: the first matching http rule of the VirtualService, or of Flagger's from the Canary; Gateway API: the
/// most specific matching HTTPRoute rule of the Service, Flagger's carrying the Canary's apex annotations), and counts
/// the attempts the request can cause at every service: each hop multiplies by 1 + the retries its rule allows. The
/// handlers' downstream calls come from the topology's <see cref="AppTopology.Forwards"/>.
/// </summary>
public sealed class CallPathSimulator(ResourceGraph graph, string cluster, string mesh, AppTopology topology)
{
    private IReadOnlyList<object> Traffic => graph[$"{cluster}-traffic"].As<ConfigGroupArgs>().Objects;

    private IEnumerable<FlaggerCrd.Canary> Canaries => graph.Contains($"{cluster}-flagger-canary")
        ? graph[$"{cluster}-flagger-canary"].As<ConfigGroupArgs>().Objects.OfType<FlaggerCrd.Canary>()
        : [];

    /// <summary>A concrete request that a route serves.</summary>
    public static (string Method, string Path) RequestFor(ApiRoute route) => (route.Method, route.Path.Kind switch
    {
        PathMatchKind.Exact => route.Path.Value,
        PathMatchKind.Prefix => route.Path.Value.TrimEnd('/') + "/x-42",
        // a regex route: one concrete path it matches (each "[^/]+" segment filled in)
        _ => route.Path.Value.Replace("[^/]+", "r-1", StringComparison.Ordinal),
    });

    /// <summary>
    /// Attempts at each service (key: its name) and at each of its routes (key: <c>service/route</c>) that one request
    /// to <paramref name="route"/> of <paramref name="service"/> can cause, entering through the edge host
    /// <paramref name="edgeHost"/> or (null) from a meshed client.
    /// </summary>
    public Dictionary<string, int> Attempts(AppService service, ApiRoute route, string? edgeHost)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        Walk(service, route, 1 + Retries(service, RequestFor(route), edgeHost), result);
        return result;
    }

    private void Walk(AppService service, ApiRoute route, int attempts, Dictionary<string, int> result)
    {
        result[service.Name] = Math.Max(result.GetValueOrDefault(service.Name), attempts);
        result[$"{service.Name}/{route.Name}"] = Math.Max(result.GetValueOrDefault($"{service.Name}/{route.Name}"), attempts);
        foreach (var f in topology.ForwardsOf(service, route))
            Walk(f.Callee, f.CalleeRoute, attempts * (1 + Retries(f.Callee, RequestFor(f.CalleeRoute), null)), result);
    }

    /// <summary>The retries the rule that routes this request to <paramref name="service"/> allows.</summary>
    public int Retries(AppService service, (string Method, string Path) request, string? edgeHost) => Rule(service, request, edgeHost).Retries;

    /// <summary>The timeout and retries of the rule that routes this request to <paramref name="service"/>.</summary>
    public (TimeSpan Timeout, int Retries) Rule(AppService service, (string Method, string Path) request, string? edgeHost)
    {
        if (Canaries.FirstOrDefault(c => c.Metadata.Name == service.Name) is { } canary)
            return (Parse(canary.Spec!.Service!.Timeout), mesh == "istio"
                ? canary.Spec.Service.Retries?.Attempts ?? 2 // Istio's default policy when a route says nothing
                : LinkerdLimit(canary.Spec.Service.Apex?.Annotations));
        if (mesh == "istio")
        {
            var vs = Traffic.OfType<IstioCrd.VirtualService>().Single(v => edgeHost is null
                ? v.Metadata.Name == service.Name
                : v.Spec!.Gateways is { Count: > 0 } && v.Spec.Hosts!.Contains(edgeHost));
            var rule = vs.Spec!.Http!.First(h => h.Match is null || h.Match.Any(m => IstioMatches(m, request)));
            // pilot/pkg/networking/core/route/retry/retry.go 97-108 (Istio 1.31.0-rc.0): no retries block means the
            // default policy (2 retries, newRetryPolicy 83-93); attempts 0 disables retries
            return (Parse(rule.Timeout), rule.Retries is null ? 2 : Math.Max(0, rule.Retries.Attempts ?? 2));
        }
        // Linkerd's edge (Traefik reading Ingress objects) has no retry middleware: the mesh hop is the first that may retry
        var best = (from r in Traffic.OfType<Gw.HTTPRoute>()
                    where r.Spec.ParentRefs!.Any(p => p.Kind == "Service" && p.Name == service.Name)
                    from rule in r.Spec.Rules!
                    from m in rule.Matches!
                    where GatewayMatches(m, request)
                    orderby m.Path!.Type == Gw.HTTPRouteSpecRulesMatchesPathType.Exact ? 1 : 0 descending, m.Path!.Value!.Length descending,
                        m.Method is null ? 0 : 1 descending
                    select r).First();
        var annotations = best.Metadata.Annotations;
        return (Parse(annotations is not null && annotations.TryGetValue("timeout.linkerd.io/request", out var t) ? t : null), LinkerdLimit(annotations));
    }

    private static TimeSpan Parse(string? duration) =>
        duration is not null && MeshStack.Traffic.Duration.TryParse(duration, out var t) ? t : throw new InvalidOperationException($"no timeout on the rule ({duration ?? "none"})");

    private static int LinkerdLimit(IDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue("retry.linkerd.io/limit", out var limit) ? int.Parse(limit) : 0;

    private static bool IstioMatches(IstioCrd.VirtualServiceSpecHttpMatch m, (string Method, string Path) r) =>
        m.Headers is null
        && (m.Method?.Exact is null || m.Method.Exact == r.Method)
        && (m.Uri is null || (m.Uri.Exact is { } e ? r.Path == e : m.Uri.Prefix is { } p ? r.Path.StartsWith(p, StringComparison.Ordinal) : Regex.IsMatch(r.Path, $"^(?:{m.Uri.Regex})$")));

    private static bool GatewayMatches(Gw.HTTPRouteSpecRulesMatches m, (string Method, string Path) r)
    {
        var value = m.Path!.Value!;
        var pathOk = m.Path.Type switch
        {
            Gw.HTTPRouteSpecRulesMatchesPathType.Exact => r.Path == value,
            Gw.HTTPRouteSpecRulesMatchesPathType.PathPrefix => value == "/" || r.Path == value.TrimEnd('/') || r.Path.StartsWith(value.TrimEnd('/') + "/", StringComparison.Ordinal),
            _ => Regex.IsMatch(r.Path, $"^(?:{value})$"),
        };
        return pathOk && m.Headers is null && (m.Method is null || m.Method.ToString()!.Equals(r.Method, StringComparison.OrdinalIgnoreCase));
    }
}
