using System.Text.RegularExpressions;
using MeshStack.Config;
using MeshStack.Topology;

namespace MeshStack.Traffic;

/// <summary>
/// Binds <c>mesh-stack:traffic</c>. Names in it (services, routes) are checked against the topology, so a
/// canary for a service that does not exist, or retries for a route that must not be retried, fail with the key path.
/// </summary>
public static partial class TrafficConfigBinder
{
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ImageTag();

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex HeaderName();

    [GeneratedRegex(@"^[A-Za-z0-9._~:@!$&'()*+,;=/-]{1,128}$")]
    private static partial Regex HeaderValue();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex Hostname();

    /// <summary>Kubernetes object names are DNS subdomains: at most 253 characters.</summary>
    private const int MaxObjectName = 253;

    public static TrafficConfig Bind(ConfigObject o, AppTopology topology, MeshKind mesh, string defaultImageTag)
    {
        var canary = o.Has("canary") ? BindCanary(o.Object("canary"), topology, defaultImageTag) : null;
        var automated = canary is { Automated: true } ? canary.Service : null;
        var faults = o.List("faults").Select(f => BindFault(f, topology, mesh, automated)).OfType<FaultDrill>().ToList();
        var edge = BindEdge(o, topology);
        if (mesh == MeshKind.Istio && canary is { Automated: true, Header: { } header } && edge.Any(e => e.Service == canary.Service))
        {
            // Flagger's one VirtualService serves the mesh and the edge hosts alike: the edge could not drop the header
            o.Problems.Add(o.PathOf("canary") + ".header",
                $"{canary.Service} is on the edge, and with Istio Flagger routes its edge hosts and mesh traffic in one VirtualService, so internet clients could choose the canary by sending {header.Name}; put the A/B test on a service behind the edge, or drop the header");
        }
        var balancing = new Dictionary<string, LoadBalancing>(StringComparer.Ordinal);
        foreach (var (name, s) in o.Map("services"))
        {
            // an unknown service's keys are not checked: the service name is what to fix first
            if (Service(s, topology, name, null) is not { } service) continue;
            balancing[service.Name] = BindLoadBalancing(s);
            s.RejectUnknown();
        }
        var routes = new List<(string Service, RouteOverride Change)>();
        foreach (var (key, r) in o.Map("routes"))
        {
            if (BindRoute(r, key, topology) is { } change) routes.Add(change);
        }
        o.RejectUnknown();
        // one record per service that has settings, in the topology's order
        var services = topology.Services
            .Where(s => balancing.ContainsKey(s.Name) || routes.Any(r => r.Service == s.Name))
            .Select(s => new ServiceTrafficSettings(s.Name, balancing.GetValueOrDefault(s.Name), [.. routes.Where(r => r.Service == s.Name).Select(r => r.Change)]));
        var config = new TrafficConfig(canary, [.. faults], [.. edge], [.. services]);
        RejectMultipliedRetries(o, topology, config);
        return config;
    }

    private static CanaryIntent? BindCanary(ConfigObject c, AppTopology topology, string defaultImageTag)
    {
        var name = c.RequiredString("service", "the service that gets a canary version, e.g. order");
        var service = name.Length > 0 ? Service(c, topology, name, "service") : null;
        var automated = c.Bool("automated", false);
        var weight = 0;
        if (automated)
        {
            // Flagger moves the weight itself; a fixed one would be silently ignored
            if (c.Has("weight"))
                c.Problem("weight", "not used with automated: true: Flagger sets the weight as the analysis passes (analysis.stepWeight up to analysis.maxWeight); remove weight");
        }
        else
        {
            if (!c.Has("weight")) c.Problem("weight", "required: the percentage of traffic sent to the canary, 0-100 (or automated: true to let Flagger shift it)");
            weight = c.Int("weight", 0, 0, 100);
        }
        HeaderMatch? header = null;
        if (c.Has("header"))
        {
            var h = c.Object("header");
            var headerName = h.RequiredString("name", "a request header name, e.g. x-canary-user", HeaderName(), "[a-z0-9-]+ (lower case)");
            var headerValue = h.RequiredString("value", "the exact header value, e.g. internal", HeaderValue(), "1-128 URL-safe characters");
            h.RejectUnknown();
            header = new HeaderMatch(headerName, headerValue);
        }
        // static: the v2 Deployment's tag; automated: the tag of the service's own Deployment, the one Flagger analyses
        var tag = c.OptionalString("tag", ImageTag(), "[A-Za-z0-9_][A-Za-z0-9_.-]*") ?? defaultImageTag;
        CanaryAnalysis? analysis = null;
        if (automated) analysis = BindAnalysis(c.Object("analysis"), header);
        else if (c.Has("analysis")) c.Problem("analysis", "only used with automated: true (Flagger's analysis of the canary)");
        c.RejectUnknown();
        return service is null ? null : new CanaryIntent(service.Name, "v2", weight, header, tag, automated) { Analysis = analysis };
    }

    private static CanaryAnalysis BindAnalysis(ConfigObject a, HeaderMatch? header)
    {
        var interval = CanaryAnalysis.DefaultInterval;
        if (a.OptionalString("interval") is { } text)
        {
            if (Duration.TryParse(text, out var parsed) && parsed >= TimeSpan.FromSeconds(10) && parsed <= TimeSpan.FromHours(1)) interval = parsed;
            else a.Problem("interval", $"\"{text}\" must be {Duration.PatternText}, from 10s to 60m (metrics are read over this window)");
        }
        var threshold = a.Int("threshold", CanaryAnalysis.DefaultThreshold, 1, 100);
        var maxWeight = a.Int("maxWeight", CanaryAnalysis.DefaultMaxWeight, 1, 100);
        var stepWeight = a.Int("stepWeight", CanaryAnalysis.DefaultStepWeight, 1, 100);
        var iterations = a.Int("iterations", CanaryAnalysis.DefaultIterations, 1, 100);
        if (stepWeight > maxWeight)
            a.Problem("stepWeight", $"{stepWeight} is above maxWeight {maxWeight}: the first step would pass the maximum");
        if (header is not null)
        {
            foreach (var field in new[] { "stepWeight", "maxWeight" }.Where(a.Has))
                a.Problem(field, $"not used with a header: the canary is then an A/B test (requests with {header.Name}: {header.Value} go to the canary, all others stay on the primary) that promotes after analysis.iterations passing checks; Flagger cannot also shift a weight of the other traffic");
        }
        else if (a.Has("iterations"))
        {
            a.Problem("iterations", "only used with a header (an A/B test); without one the canary advances by stepWeight up to maxWeight");
        }
        a.RejectUnknown();
        return new CanaryAnalysis(interval, threshold, maxWeight, stepWeight, iterations);
    }

    private static FaultDrill? BindFault(ConfigObject f, AppTopology topology, MeshKind mesh, string? automatedCanary)
    {
        var name = f.RequiredString("service", "the service whose routes get the fault");
        var service = name.Length > 0 ? Service(f, topology, name, "service") : null;
        if (service is not null && service.Name == automatedCanary)
            f.Problem("service", $"{service.Name} has an automated canary: Flagger owns its routes, which cannot carry a drill; drill another service or use a static canary");
        var route = f.OptionalString("route");
        if (service is not null && route is not null && service.Routes.All(r => r.Name != route))
            f.Problem("route", $"\"{route}\" is not a route of {service.Name} ({string.Join(", ", service.Routes.Select(r => r.Name))})");
        if (!f.Has("percent")) f.Problem("percent", "required: the percentage of requests that get the fault, 1-100");
        var percent = f.Int("percent", 0, 1, 100);
        TimeSpan? delay = null;
        if (f.OptionalString("delay") is { } d)
        {
            if (Duration.TryParse(d, out var parsed) && parsed > TimeSpan.Zero) delay = parsed;
            else f.Problem("delay", $"\"{Excerpt.Of(d)}\" must be {Duration.PatternText}, above zero (a drill of no delay injects nothing)");
            if (mesh == MeshKind.Linkerd)
                f.Problem("delay", "Linkerd cannot inject delays (it injects faults as a weighted backend that returns errors); use abortStatus");
        }
        int? abort = f.Has("abortStatus") ? f.Int("abortStatus", 503, 400, 599) : null;
        if (f.Has("delay") == f.Has("abortStatus"))
            f.Problem(f.Has("delay") ? "abortStatus" : "delay", "a drill is either a delay or an abortStatus, exactly one of them");
        f.RejectUnknown();
        return service is null ? null : new FaultDrill(service.Name, route, percent, delay, abort);
    }

    private static List<EdgeHost> BindEdge(ConfigObject o, AppTopology topology)
    {
        var edge = new List<EdgeHost>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in o.List("edge"))
        {
            var host = e.RequiredString("host", "the public host name, e.g. api.example.com", Hostname(), "a lower-case DNS name such as api.example.com");
            if (host.Length > 253) { e.Problem("host", $"\"{Excerpt.Of(host)}\" is {host.Length} characters; a DNS name has at most 253"); host = ""; }
            else if (EdgeHost.ObjectNameFor(host).Length > MaxObjectName)
            {
                e.Problem("host", $"\"{Excerpt.Of(host)}\" is too long for the edge object named after it ({EdgeHost.ObjectNameFor(host).Length} characters; Kubernetes names have at most {MaxObjectName}): use a host of at most {MaxObjectName - EdgeHost.ObjectNameFor("").Length} characters");
                host = "";
            }
            else if (System.Net.IPAddress.TryParse(host, out _)) { e.Problem("host", $"\"{host}\" is an IP address; the edge routes by host name (Host header and TLS SNI): give a DNS name such as api.example.com"); host = ""; }
            if (host.Length > 0 && !seen.Add(host)) e.Problem("host", $"\"{host}\" is listed twice; a host is served by one service");
            var name = e.RequiredString("service", "the service that serves the host, e.g. api-gateway");
            var service = name.Length > 0 ? Service(e, topology, name, "service") : null;
            if (service is { Public: false })
            {
                // the edge would bypass the public services' checks (JWT at the api-gateway) and grant the internet an internal API
                e.Problem("service", $"{service.Name} is internal to the app; the edge routes only to its public services ({string.Join(", ", topology.Services.Where(s => s.Public).Select(s => s.Name))})");
                service = null;
            }
            e.RejectUnknown();
            if (service is not null && host.Length > 0) edge.Add(new EdgeHost(host, service.Name));
        }
        return edge;
    }

    private static LoadBalancing BindLoadBalancing(ConfigObject s)
    {
        var kind = s.Enum("loadBalancer", LoadBalancerKind.LeastRequest);
        var header = s.OptionalString("hashHeader", HeaderName(), "[a-z0-9-]+ (lower case)");
        if (kind == LoadBalancerKind.ConsistentHash && header is null && !s.Has("hashHeader"))
            s.Problem("hashHeader", "required with loadBalancer: consistent-hash, e.g. x-user-id");
        if (kind != LoadBalancerKind.ConsistentHash && s.Has("hashHeader"))
            s.Problem("hashHeader", "only used with loadBalancer: consistent-hash");
        return new LoadBalancing(kind, kind == LoadBalancerKind.ConsistentHash ? header : null);
    }

    private static (string Service, RouteOverride Change)? BindRoute(ConfigObject r, string key, AppTopology topology)
    {
        var parts = key.Split('/');
        var service = parts.Length == 2 ? topology.Services.FirstOrDefault(s => s.Name == parts[0]) : null;
        var route = service?.Routes.FirstOrDefault(x => x.Name == parts[1]);
        TimeSpan? timeout = null;
        if (r.OptionalString("timeout") is { } t)
        {
            if (Duration.TryParse(t, out var parsed) && parsed > TimeSpan.Zero) timeout = parsed;
            else r.Problem("timeout", $"\"{t}\" must be {Duration.PatternText}, above zero");
        }
        int? retries = r.Has("retries") ? r.Int("retries", 0, 0, 10) : null;
        r.RejectUnknown();
        if (route is null)
        {
            var known = topology.Services.SelectMany(s => s.Routes.Select(x => TrafficConfig.RouteKey(s.Name, x.Name))).ToList();
            var near = NearestName.For(key, known);
            r.Problems.Add(r.Path, $"no route \"{key}\"; keys are service/route{(near is null ? "" : $" (did you mean {near}?)")}");
            return null;
        }
        if (retries > 0 && !route.Idempotent)
        {
            r.Problem("retries", $"route {key} ({route.Method} {route.Path}) is not idempotent and is never retried (a retry could repeat its effect)");
            return null;
        }
        return (service!.Name, new RouteOverride(route.Name, timeout, retries));
    }

    /// <summary>Retries asked for on a route in front of another hop that retries would multiply attempts along the path.</summary>
    private static void RejectMultipliedRetries(ConfigObject o, AppTopology topology, TrafficConfig config)
    {
        var hops = TrafficIntent.Hops(topology, config);
        foreach (var settings in config.Services)
        foreach (var change in settings.Routes.Where(r => r.Retries > 0))
        {
            var service = topology.Service(settings.Service);
            var key = TrafficConfig.RouteKey(service.Name, change.Route);
            if (hops.RetriedBelow(service, service.Route(change.Route)) is not { } below) continue;
            var inner = TrafficConfig.RouteKey(below.Callee.Name, below.CalleeRoute.Name);
            o.Problems.Add($"{o.Path}.routes.{key}.retries",
                $"{key} calls {inner}, which the mesh already retries; retrying both multiplies attempts along the path. " +
                $"Retry at one hop: drop these retries, or set {inner} (and every retried route below it) to retries: 0");
        }
    }

    private static AppService? Service(ConfigObject o, AppTopology topology, string name, string? field)
    {
        var service = topology.Services.FirstOrDefault(s => s.Name == name);
        if (service is not null) return service;
        var names = topology.Services.Select(s => s.Name).ToList();
        var near = NearestName.For(name, names);
        var message = $"\"{name}\" is not a service of the app ({string.Join(", ", names)}){(near is null ? "" : $"; did you mean \"{near}\"?")}";
        if (field is null) o.Problems.Add(o.Path, message);
        else o.Problem(field, message);
        return null;
    }
}
