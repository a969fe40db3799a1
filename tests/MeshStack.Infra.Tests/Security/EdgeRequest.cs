using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Tests.Security;

/// <summary>What the edge forwards to the service for a request from the internet: the backend and the headers.</summary>
/// <param name="Subset">Istio: the subset of the only destination, when the chosen rule sends everything to one version.</param>
public sealed record EdgeForward(string Service, string? Subset, IReadOnlyDictionary<string, string> Headers);

/// <summary>Where the edge's certificate for a host comes from.</summary>
public sealed record EdgeCertificate(string Namespace, string SecretName);

/// <summary>
/// A request from outside the mesh meeting a cluster's rendered edge, over HTTPS (<see cref="Send"/>) or plain HTTP
/// (<see cref="RedirectsHttp"/>). Istio: the VirtualServices bound to the edge
/// Gateway, first matching rule wins on the request as it arrived, then the rule's request header removals
/// (istio 1.31 pilot/pkg/networking/core/route/route.go 503-509). Linkerd: Traefik's entry point middlewares from the
/// chart values (headers middleware: an empty custom request header deletes it, traefik v3.5.2
/// pkg/middlewares/headers/header.go 68-77), then the Ingress rule of the host.
/// </summary>
public static class EdgeRequest
{
    private const string SecureEntryPoint = "websecure";

    /// <summary>An HTTPS request to <paramref name="host"/>: what reaches the service behind the edge.</summary>
    public static EdgeForward Send(DeployedCluster cluster, string host, string method, string path, IReadOnlyDictionary<string, string> headers) =>
        cluster.IsIstio ? Istio(cluster, host, method, path, headers) : Traefik(cluster, SecureEntryPoint, host, path, headers);

    /// <summary>
    /// Whether a plain HTTP request to the host is answered with a redirect to HTTPS, and never routed. Istio: the
    /// Gateway's HTTP server with httpsRedirect, which makes every virtual host of it require TLS (istio 1.31
    /// pilot/pkg/networking/core/gateway.go 526-551). Traefik: the web entry point's redirection to websecure
    /// (traefik-helm-chart v37.1.1 templates/_podtemplate.tpl 652-672), with no Ingress router on web.
    /// </summary>
    public static bool RedirectsHttp(DeployedCluster cluster, string host)
    {
        if (cluster.IsIstio)
        {
            var servers = EdgeServers(cluster, host).Where(s => s["port"]!["number"]!.GetValue<long>() == 80).ToList();
            return servers.Count > 0 && servers.All(s => s["tls"]?["httpsRedirect"]?.GetValue<bool>() == true);
        }
        var values = cluster.HelmValues("traefik")!;
        var redirect = values["ports"]?["web"]?["redirections"]?["entryPoint"];
        var routers = IngressOf(cluster, host)["metadata"]!["annotations"]?["traefik.ingress.kubernetes.io/router.entrypoints"]?.GetValue<string>();
        return redirect?["to"]?.GetValue<string>() == SecureEntryPoint && redirect["scheme"]?.GetValue<string>() == "https"
            && routers is not null && routers.Split(',').All(e => e.Trim() == SecureEntryPoint);
    }

    /// <summary>The certificate HTTPS to the host is served with, or null when the host has no TLS listener.</summary>
    public static EdgeCertificate? Certificate(DeployedCluster cluster, string host)
    {
        if (cluster.IsIstio)
        {
            // a credentialName resolves in the gateway proxy's own namespace (istio 1.31 pilot/pkg/xds/sds.go 99)
            var https = EdgeServers(cluster, host).SingleOrDefault(s => s["port"]!["protocol"]!.GetValue<string>() == "HTTPS"
                && s["tls"]?["mode"]?.GetValue<string>() == "SIMPLE");
            return https?["tls"]?["credentialName"]?.GetValue<string>() is { } name ? new EdgeCertificate("istio-ingress", name) : null;
        }
        // a websecure entry point with TLS and an Ingress TLS section for the host (Secret in the Ingress's namespace)
        var values = cluster.HelmValues("traefik")!;
        if (values["ports"]?[SecureEntryPoint]?["tls"]?["enabled"]?.GetValue<bool>() == false) return null;
        var ingress = IngressOf(cluster, host);
        var tls = (ingress["spec"]!["tls"] as JsonArray ?? []).FirstOrDefault(t => (t!["hosts"] as JsonArray ?? []).Any(h => h!.GetValue<string>() == host));
        return tls?["secretName"]?.GetValue<string>() is { } secret ? new EdgeCertificate(ingress["metadata"]!["namespace"]!.GetValue<string>(), secret) : null;
    }

    private static IEnumerable<JsonObject> EdgeServers(DeployedCluster cluster, string host) =>
        cluster.OfKind("Gateway").Where(g => g["apiVersion"]!.GetValue<string>().StartsWith("networking.istio.io/", StringComparison.Ordinal) && DeployedCluster.NameOf(g) == "edge")
            .SelectMany(g => g["spec"]!["servers"]!.AsArray().Cast<JsonObject>())
            .Where(s => s["hosts"]!.AsArray().Any(h => h!.GetValue<string>().Split('/').Last() == host));

    private static JsonObject IngressOf(DeployedCluster cluster, string host) =>
        cluster.OfKind("Ingress").Single(i => i["spec"]!["rules"]!.AsArray().Any(r => r!["host"]!.GetValue<string>() == host));

    private static EdgeForward Istio(DeployedCluster cluster, string host, string method, string path, IReadOnlyDictionary<string, string> headers)
    {
        var vs = cluster.OfKind("VirtualService").Single(v => (v["spec"]!["gateways"] as JsonArray ?? []).Any(g => g!.GetValue<string>() == "edge")
            && v["spec"]!["hosts"]!.AsArray().Any(h => h!.GetValue<string>() == host));
        foreach (var rule in vs["spec"]!["http"]!.AsArray().Cast<JsonObject>())
        {
            var matches = rule["match"] as JsonArray;
            if (matches is not null && !matches.Cast<JsonObject>().Any(m => Matches(m, method, path, headers))) continue;
            var removed = (rule["headers"]?["request"]?["remove"] as JsonArray ?? []).Select(h => h!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (rule["headers"]?["request"] is JsonObject ops && ops.Any(p => p.Key != "remove")) throw new NotSupportedException("header set/add");
            var routes = rule["route"]!.AsArray();
            var destination = routes[0]!["destination"]!;
            return new EdgeForward(destination["host"]!.GetValue<string>().Split('.')[0],
                routes.Count == 1 ? destination["subset"]?.GetValue<string>() : null,
                headers.Where(h => !removed.Contains(h.Key)).ToDictionary());
        }
        throw new InvalidOperationException($"{cluster}: no edge rule for {host} {method} {path}");
    }

    private static bool Matches(JsonObject m, string method, string path, IReadOnlyDictionary<string, string> headers)
    {
        foreach (var (key, _) in m) if (key is not ("uri" or "method" or "headers")) throw new NotSupportedException($"match {key}");
        if (m["method"]?["exact"]?.GetValue<string>() is { } exact && exact != method) return false;
        if (m["uri"] is JsonObject uri)
        {
            var ok = uri["exact"] is { } e ? path == e.GetValue<string>()
                : uri["prefix"] is { } p ? path.StartsWith(p.GetValue<string>(), StringComparison.Ordinal)
                : Regex.IsMatch(path, $"^(?:{uri["regex"]!.GetValue<string>()})$");
            if (!ok) return false;
        }
        return (m["headers"] as JsonObject ?? []).All(h => headers.TryGetValue(h.Key, out var v) && v == h.Value!["exact"]!.GetValue<string>());
    }

    private static EdgeForward Traefik(DeployedCluster cluster, string entryPoint, string host, string path, IReadOnlyDictionary<string, string> headers)
    {
        var values = cluster.HelmValues("traefik") ?? throw new InvalidOperationException($"{cluster}: no Traefik");
        var forwarded = headers.ToDictionary(StringComparer.OrdinalIgnoreCase);
        var middlewares = (values["ports"]?[entryPoint]?["middlewares"] as JsonArray ?? []).Select(m => m!.GetValue<string>()).ToList();
        var dynamic = values["providers"]?["file"]?["content"]?.GetValue<string>() is { } content ? JsonNode.Parse(content) : null;
        foreach (var reference in middlewares)
        {
            if (!reference.EndsWith("@file", StringComparison.Ordinal)) throw new NotSupportedException(reference);
            var middleware = dynamic?["http"]?["middlewares"]?[reference[..^"@file".Length]] ?? throw new InvalidOperationException($"{cluster}: middleware {reference} is not defined");
            foreach (var (name, value) in middleware["headers"]?["customRequestHeaders"] as JsonObject ?? [])
            {
                if (value!.GetValue<string>() == "") forwarded.Remove(name);
                else forwarded[name] = value.GetValue<string>();
            }
        }
        var ingress = IngressOf(cluster, host);
        var backend = ingress["spec"]!["rules"]!.AsArray().Single(r => r!["host"]!.GetValue<string>() == host)!["http"]!["paths"]!.AsArray()
            .Where(p => p!["pathType"]!.GetValue<string>() == "Exact" ? path == p["path"]!.GetValue<string>() : path.StartsWith(p["path"]!.GetValue<string>(), StringComparison.Ordinal))
            .Select(p => p!["backend"]!["service"]!["name"]!.GetValue<string>()).First();
        return new EdgeForward(backend, null, forwarded);
    }
}
