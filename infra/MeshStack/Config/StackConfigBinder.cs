using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshStack.Config;

/// <summary>
/// The one place stack config is typed and validated. Every problem is collected and reported together;
/// a key nobody reads is reported as unknown with the nearest known key.
/// </summary>
public static partial class StackConfigBinder
{
    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex DnsName();

    /// <summary>A DNS label (RFC 1123): the cluster name prefixes resource names, which may not start or end with '-'.</summary>
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    /// <summary>An exact chart version (semantic version, optional leading v): ranges, "latest" or empty would float.</summary>
    [GeneratedRegex(@"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex ExactVersion();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NetworkName();

    [GeneratedRegex("^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9._-]+)*$")]
    private static partial Regex Registry();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ImageTag();

    [GeneratedRegex(@"^https://\S+$")]
    private static partial Regex HttpsUrl();

    [GeneratedRegex(@"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/\S*)?$")]
    private static partial Regex ServerUrl();


    /// <summary>A DNS name or an IPv4 address, no port: what a Link's gatewayAddress holds.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();

    /// <summary>
    /// Types and validates <paramref name="raw"/> for <paramref name="application"/>, the host's application, or the one
    /// the stack declares instead in <c>mesh-stack:app</c> (every service and route name in the config refers to it).
    /// </summary>
    public static StackConfig Bind(string stack, RawConfig raw, Topology.AppTopology application)
    {
        // a file that could not be read is reported as such, without the consequences of reading nothing
        if (raw.IsUnreadable) throw new ConfigException(raw.LoadProblems);
        var problems = new ConfigProblems();
        if (StackName.Problem(stack) is { } badName) problems.Add("stack", $"{badName} (PULUMI_STACK or the stack file's name)");
        foreach (var p in raw.LoadProblems) problems.Add(p.Path, p.Message);

        var defaults = new JsonObject(ConfigKeys.All.Where(k => k.Default is not null)
            .Select(k => KeyValuePair.Create(k.Name, (JsonNode?)k.Default!.DeepClone())));
        var root = new ConfigObject($"{ConfigKeys.Project}:", raw.Values, defaults, problems, isRoot: true);

        // first: every other key names the app's services and routes; names checked against an app that failed to
        // bind would add errors that are only its echo, so its problems are reported alone
        var mesh = root.Enum(ConfigKeys.Mesh.Name, MeshKind.Linkerd);
        if (AppSpecBinder.Bind(root, application, mesh) is not { } topology)
        {
            problems.ThrowIfAny();
            throw new InvalidOperationException("mesh-stack:app was refused without a problem");
        }
        var clusters = BindClusters(root, topology, mesh);
        var mtls = root.Enum(ConfigKeys.Mtls.Name, MtlsMode.Strict);
        var images = BindImages(root.Object(ConfigKeys.Images.Name));
        var replicas = root.Int(ConfigKeys.Replicas.Name, 1, 1, 50);
        var tracing = BindTracing(root.Object(ConfigKeys.Tracing.Name));
        var charts = BindCharts(root.Object(ConfigKeys.Charts.Name));
        var meshId = root.OptionalString(ConfigKeys.MeshId.Name, DnsName(), "[a-z0-9-]+") ?? "meshstack";
        var database = Database.DatabaseConfig.Bind(root.Object(ConfigKeys.Database.Name));
        var hasKubeconfig = root.Has(ConfigKeys.Kubeconfig.Name) && raw.PresentSecrets.Contains(ConfigKeys.Kubeconfig.Name);
        var traffic = Traffic.TrafficConfigBinder.Bind(root.Object(ConfigKeys.Traffic.Name), topology, mesh, images.Tag);
        CheckCanaryPlacement(root, traffic, clusters);
        if (mesh == MeshKind.Linkerd) Flagger.FlaggerLinkerdCompatibility.Check(root, charts.Flagger, traffic.Canary is { Automated: true });
        var mtlsOverrides = Security.SecurityConfigBinder.BindMtlsOverrides(root);
        var jwt = Security.SecurityConfigBinder.BindJwt(root);
        var edgeTls = Security.SecurityConfigBinder.BindEdgeTls(root, traffic.Edge.Count > 0);
        var policy = Security.SecurityConfigBinder.BindPolicy(root);

        root.RejectUnknown();
        problems.ThrowIfAny();
        return new StackConfig
        {
            Stack = stack,
            Mesh = mesh,
            Clusters = clusters,
            Mtls = mtls,
            Images = images,
            Replicas = replicas,
            Tracing = tracing,
            Charts = charts,
            MeshId = meshId,
            HasKubeconfig = hasKubeconfig,
            Database = database,
            Traffic = traffic,
            MtlsOverrides = mtlsOverrides,
            Jwt = jwt,
            EdgeTls = edgeTls,
            Policy = policy,
            App = topology,
        };
    }

    private static List<ClusterConfig> BindClusters(ConfigObject root, Topology.AppTopology topology, MeshKind mesh)
    {
        var items = root.List(ConfigKeys.Clusters.Name, InputLimits.Clusters);
        if (items.Count == 0 && !root.Problems.Items.Any(p => p.Path.StartsWith(root.PathOf(ConfigKeys.Clusters.Name), StringComparison.Ordinal)))
            root.Problem(ConfigKeys.Clusters.Name, "required: at least one cluster, e.g. [{name: dev, context: kind-dev}]");
        var clusters = new List<ClusterConfig>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, int>(StringComparer.Ordinal);
        var servers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var c = items[i];
            var name = c.RequiredString("name", "the cluster's name, [a-z0-9-]+ starting and ending with a letter or digit", DnsLabel(), "[a-z0-9-]+, starting and ending with a letter or digit");
            if (name.Length > 30) c.Problem("name", $"\"{name}\" is longer than 30 characters (it prefixes every resource name)");
            else if (name.Length > 0 && !seen.TryAdd(name, i)) c.Problem("name", $"\"{name}\" is already the name of clusters[{seen[name]}]; cluster names must be unique");
            var context = c.RequiredString("context", "the kubeconfig context of this cluster");
            if (c.Has("context") && context.Trim().Length == 0 && !c.Problems.Items.Any(p => p.Path == c.PathOf("context")))
                c.Problem("context", "is empty: give the kubeconfig context of this cluster (kubectl config get-contexts)");
            else if (context.Length > 0 && !contexts.TryAdd(context, i))
                c.Problem("context", $"\"{Excerpt.Of(context)}\" is already the context of clusters[{contexts[context]}]: two clusters of a stack are two different clusters");
            var network = c.OptionalString("network", NetworkName(), "[A-Za-z0-9._-]+");
            if (network is not null && mesh != MeshKind.Istio)
                c.Problem("network", "is for Istio only (its multi-network gateways); Linkerd reaches other clusters through its gateway or pod to pod (export); remove it");
            var server = BindServer(c);
            if (server is not null && !servers.TryAdd(server, i))
                c.Problem("server", $"\"{Excerpt.Of(server)}\" is already the server of clusters[{servers[server]}]: each cluster has its own API server");
            var failover = c.StringList("failover");
            if (failover.Count > 0 && mesh != MeshKind.Istio)
                c.Problem("failover", "is for Istio only (locality failover); Linkerd fails over through its mirrored services; remove it");
            var export = c.Enum("export", ExportMode.Gateway);
            if (c.Has("export") && mesh != MeshKind.Linkerd)
                c.Problem("export", "is for Linkerd only (how a linked cluster is reached); Istio uses network and its east-west gateway; remove it");
            var services = c.Has("services") ? BindServices(c, topology) : null;
            var gatewayAddress = c.OptionalString("gatewayAddress", HostName(), "a host name or an IPv4 address, without scheme or port");
            if (gatewayAddress is not null && mesh != MeshKind.Linkerd)
                c.Problem("gatewayAddress", "is for Linkerd links only: Istio reads its east-west gateway's address itself; remove it");
            else if (gatewayAddress is not null && export != ExportMode.Gateway)
                c.Problem("gatewayAddress", $"this cluster exports with {ConfigObject.Spelling(export)} and has no gateway; remove it or set export: gateway");
            c.RejectUnknown();
            clusters.Add(new ClusterConfig(name, context, network, server, failover, export, services, gatewayAddress));
        }
        for (var i = 0; i < clusters.Count; i++)
        {
            for (var j = 0; j < clusters[i].Failover.Count; j++)
            {
                var target = clusters[i].Failover[j];
                if (target == clusters[i].Name || !clusters.Any(c => c.Name == target))
                    items[i].Problem($"failover[{j}]", $"\"{Excerpt.Of(target)}\" is not another cluster of this stack");
                else if (clusters[i].Failover.Take(j).Contains(target, StringComparer.Ordinal))
                    items[i].Problem($"failover[{j}]", $"\"{target}\" is listed twice; list each cluster once, in order of preference");
            }
            // the list is an order: refuse one Istio would not follow rather than render a different one
            if (mesh == MeshKind.Istio && clusters[i].Failover.Count > 0 && !items[i].Problems.Items.Any()
                && Istio.FailoverOrder.Priority(clusters, clusters[i]) is null)
                items[i].Problem("failover", Istio.FailoverOrder.Explain(clusters, clusters[i]));
        }
        // a service that runs nowhere would leave its callers with a Service and no endpoints
        foreach (var service in topology.Services.Where(s => clusters.Count > 0 && !clusters.Any(c => c.Runs(s.Name))))
            root.Problem(ConfigKeys.Clusters.Name, $"service \"{service.Name}\" runs in no cluster: add it to the services of at least one cluster (or omit services to run every service there)");
        // cross-cluster wiring (remote secrets, links) needs every cluster reachable by the others
        if (clusters.Count > 1)
        {
            for (var i = 0; i < clusters.Count; i++)
                if (clusters[i].Server is null && !items[i].Problems.Items.Any(p => p.Path == items[i].PathOf("server")))
                    items[i].Problem("server", $"required with more than one cluster: the API server address the other clusters use to reach \"{clusters[i].Name}\" (e.g. https://{clusters[i].Name}.example.com:6443)");
        }
        return clusters;
    }

    /// <summary>
    /// The API server address the other clusters use: an https URL with a host they can reach (no loopback or
    /// unspecified address in any spelling) and a port of 1-65535.
    /// </summary>
    private static string? BindServer(ConfigObject c)
    {
        var server = c.OptionalString("server", ServerUrl(), "an https:// URL of the API server");
        if (server is null) return null;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Port is < 1 or > 65535)
        {
            c.Problem("server", $"\"{Excerpt.Of(server)}\" is not a valid https URL (host, and a port from 1 to 65535)");
            return null;
        }
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        var loopback = host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (System.Net.IPAddress.IsLoopback(ip) || ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any)));
        if (loopback)
        {
            c.Problem("server", $"\"{Excerpt.Of(server)}\" is a loopback address: the other clusters cannot reach it; give the address they can reach");
            return null;
        }
        return server;
    }

    /// <summary>A cluster's <c>services</c>: names of the topology's services, each once; at least one.</summary>
    private static List<string> BindServices(ConfigObject cluster, Topology.AppTopology topology)
    {
        var names = cluster.StringList("services");
        var known = topology.Services.Select(s => s.Name).ToList();
        var result = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!known.Contains(names[i], StringComparer.Ordinal))
            {
                var near = NearestName.For(names[i], known);
                cluster.Problem($"services[{i}]", $"\"{names[i]}\" is not a service of the application"
                    + (near is null ? $"; known: {string.Join(", ", known)}" : $"; did you mean \"{near}\"?"));
            }
            else if (result.Contains(names[i], StringComparer.Ordinal)) cluster.Problem($"services[{i}]", $"\"{names[i]}\" is listed twice");
            else result.Add(names[i]);
        }
        if (names.Count == 0 && !cluster.Problems.Items.Any(p => p.Path.StartsWith(cluster.PathOf("services"), StringComparison.Ordinal)))
            cluster.Problem("services", "is empty: list the services that run in this cluster, or omit the key to run all of them");
        return result;
    }

    /// <summary>A canary splits traffic between versions where its service runs: it must run in every cluster.</summary>
    private static void CheckCanaryPlacement(ConfigObject root, Traffic.TrafficConfig traffic, List<ClusterConfig> clusters)
    {
        if (traffic.Canary is not { } canary) return;
        var missing = clusters.Where(c => !c.Runs(canary.Service)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            root.Problems.Add($"{root.PathOf(ConfigKeys.Traffic.Name)}.canary.service",
                $"\"{canary.Service}\" does not run in cluster {string.Join(", ", missing)}: a canary service must run in every cluster; add it to their services");
    }

    private static ImagesConfig BindImages(ConfigObject o)
    {
        var registry = o.RequiredString("registry", "the image registry, e.g. ghcr.io/acme", Registry(), "a registry host and path such as ghcr.io/acme");
        var tag = o.RequiredString("tag", "the image tag", ImageTag(), "[A-Za-z0-9_][A-Za-z0-9_.-]*");
        o.RejectUnknown();
        return new ImagesConfig(registry, tag);
    }

    private static TracingConfig BindTracing(ConfigObject o)
    {
        var sampling = o.Number("samplingPercent", 10, 0, 100);
        o.RejectUnknown();
        return new TracingConfig(sampling);
    }

    private static ChartsConfig BindCharts(ConfigObject o)
    {
        var istio = BindChart(o.Object("istio"));
        var linkerd = BindChart(o.Object("linkerd"));
        var collector = BindChart(o.Object("otelCollector"));
        var jaeger = BindChart(o.Object("jaeger"));
        var prometheus = BindChart(o.Object("kubePrometheusStack"));
        var kiali = BindChart(o.Object("kiali"));
        var flagger = BindChart(o.Object("flagger"));
        o.RejectUnknown();
        return new ChartsConfig(istio, linkerd)
        {
            OtelCollector = collector,
            Jaeger = jaeger,
            KubePrometheusStack = prometheus,
            Kiali = kiali,
            Flagger = flagger,
        };
    }

    internal static ChartPin BindChart(ConfigObject o)
    {
        var repo = o.RequiredString("repository", "the Helm repository URL", HttpsUrl(), "an https:// URL");
        var version = o.RequiredString("version", "an exact chart version", ExactVersion(), "an exact chart version such as 1.31.1 (no range, no latest)");
        o.RejectUnknown();
        return new ChartPin(repo, version);
    }
}
