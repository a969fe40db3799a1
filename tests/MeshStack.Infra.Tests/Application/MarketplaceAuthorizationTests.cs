using System.Text.Json.Nodes;
using MeshStack.Analysis.Simulation;
using MeshStack.Config;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Application;

/// <summary>
/// The marketplace's rendered authorization, judged by each mesh's simulator: in every cluster, for every pod set of
/// the app, every caller (each service, the ingress, Linkerd's multicluster gateway, an intruder, an unmeshed client),
/// every method and every path its routes know: allowed if and only if the declared call graph (bound from the stack's
/// <c>mesh-stack:app</c>) says so. Each declared caller->route is seen allowed in each cluster where the callee runs.
/// </summary>
public class MarketplaceAuthorizationTests
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];
    private const string LinkerdGateway = "linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local";

    private sealed record Caller(string Name, string? Identity);

    private static IEnumerable<Caller> Callers(StackConfig config)
    {
        var istio = config.Mesh == MeshKind.Istio;
        string Identity(string ns, string sa) => istio ? $"cluster.local/ns/{ns}/sa/{sa}" : $"{sa}.{ns}.serviceaccount.identity.linkerd.cluster.local";
        foreach (var s in config.App.Services) yield return new(s.Name, Identity(config.App.Namespace, s.ServiceAccount));
        yield return new("ingress", istio ? Identity("istio-ingress", "istio-ingress") : Identity("edge", "traefik"));
        if (!istio) yield return new("gateway", LinkerdGateway);
        yield return new("intruder", Identity("default", "intruder"));
        yield return new("unmeshed", null);
    }

    /// <summary>The routes of <paramref name="callee"/> the topology lets <paramref name="caller"/> call, in <paramref name="cluster"/>.</summary>
    private static IEnumerable<ApiRoute> Declared(StackConfig config, ClusterConfig cluster, string caller, AppService callee)
    {
        var app = config.App;
        IEnumerable<ApiRoute> From(string name) => name == "ingress"
            ? config.Traffic.Edge.Any(e => e.Service == callee.Name) ? callee.Routes : []
            : app.Calls.Where(c => c.From.Name == name && c.To == callee).SelectMany(c => c.Routes);
        if (caller != "gateway") return From(caller);
        // Linkerd's gateway carries calls from clusters that do not run the callee, under its own identity: it is
        // granted exactly what those remote callers call (the edge runs in every cluster)
        if (config.Clusters.Count < 2 || cluster.Export != ExportMode.Gateway) return [];
        var remote = config.Clusters.Where(c => c.Name != cluster.Name && !c.Runs(callee.Name)).ToList();
        return app.Services.Where(s => remote.Any(c => c.Runs(s.Name))).Select(s => s.Name)
            .Concat(remote.Count > 0 ? ["ingress"] : [])
            .SelectMany(From).Distinct();
    }

    private sealed record Outcome(List<string> Wrong, HashSet<(string Caller, string Callee, string Route, string Cluster)> Reached, int Allowed, int Denied);

    private static Outcome Judge(StackConfig config, Func<string, IReadOnlyList<JsonObject>> objectsOf)
    {
        var app = config.App;
        var (wrong, reached, allowed, denied) = (new List<string>(), new HashSet<(string, string, string, string)>(), 0, 0);
        foreach (var cluster in config.Clusters)
        {
            var objects = objectsOf(cluster.Name);
            var istio = new IstioAuthorizer(objects);
            var linkerd = new LinkerdAuthorizer(objects);
            foreach (var callee in app.Services)
            {
                var labels = Pods.Labels(objects, app.Namespace, callee.Name);
                Assert.Equal(cluster.Runs(callee.Name), labels is not null);
                if (labels is null) continue;
                foreach (var caller in Callers(config))
                {
                    var routes = Declared(config, cluster, caller.Name, callee).ToList();
                    foreach (var method in Methods)
                    foreach (var path in Security.AuthorizationMatrixTests.SamplePaths(callee))
                    {
                        var request = new InboundRequest(caller.Identity, method, path);
                        var decision = config.Mesh == MeshKind.Istio
                            ? istio.Allows(app.Namespace, labels, request)
                            : linkerd.Allows(app.Namespace, labels, "http", request);
                        var matching = routes.Where(r => r.Method == method && r.Path.Matches(path)).ToList();
                        // Linkerd: the kubelet has no identity, so the probe paths are open (Istio's sidecar answers probes itself)
                        var expected = matching.Count > 0
                            || (config.Mesh == MeshKind.Linkerd && method == "GET" && (path == callee.LivenessPath || path == callee.ReadinessPath));
                        if (decision != expected)
                            wrong.Add($"{cluster.Name}: {caller.Name} -> {callee.Name} {method} {path}: rendered {(decision ? "allows" : "denies")}, the call graph says {(expected ? "allow" : "deny")}");
                        if (decision) allowed++; else denied++;
                        if (decision) foreach (var r in matching) reached.Add((caller.Name, callee.Name, r.Name, cluster.Name));
                    }
                }
            }
        }
        return new Outcome(wrong, reached, allowed, denied);
    }

    private static Func<string, IReadOnlyList<JsonObject>> Rendered(string stack)
    {
        var manifests = Marketplace.Emit(stack).Manifests;
        return cluster => manifests.Where(m => m.Cluster == cluster).Select(m => m.Parse()).ToList();
    }

    [Theory]
    [MemberData(nameof(Marketplace.StackNames), MemberType = typeof(Marketplace))]
    public void Rendered_policies_allow_exactly_the_declared_call_graph(string stack)
    {
        var config = Marketplace.Config(stack);
        var outcome = Judge(config, Rendered(stack));
        Assert.True(outcome.Wrong.Count == 0, $"{stack}:\n" + string.Join("\n", outcome.Wrong));

        // every declared caller -> route, from the caller's identity, in every cluster that runs the callee
        var missing = (from call in config.App.Calls
                       from route in call.Routes
                       from cluster in config.ClustersRunning(call.To.Name)
                       where !outcome.Reached.Contains((call.From.Name, call.To.Name, route.Name, cluster.Name))
                       select $"{cluster.Name}: {call.From.Name} -> {call.To.Name}/{route.Name}").ToList();
        Assert.True(missing.Count == 0, "declared calls never allowed:\n" + string.Join("\n", missing));
        Assert.True(outcome.Allowed > 25 && outcome.Denied > 3 * outcome.Allowed, $"allowed {outcome.Allowed}, denied {outcome.Denied}");
        // the ingress reaches only the public services
        Assert.DoesNotContain(outcome.Reached, r => r.Caller == "ingress" && !config.App.Service(r.Callee).Public);
    }

    /// <summary>Seeded fault: catalog's authorization objects removed; the matrix sees its declared callers refused.</summary>
    [Theory]
    [InlineData("market-istio-3")]
    [InlineData("market-linkerd-3")]
    public void A_render_missing_a_services_grants_fails_the_matrix(string stack)
    {
        var config = Marketplace.Config(stack);
        var rendered = Rendered(stack);
        var outcome = Judge(config, cluster => rendered(cluster)
            .Where(o => !(o["kind"]!.GetValue<string>() == "AuthorizationPolicy" && o["metadata"]!["name"]!.GetValue<string>().StartsWith("catalog", StringComparison.Ordinal)))
            .ToList());
        Assert.Contains(outcome.Wrong, w => w.Contains("partner-api -> catalog POST /listings: rendered denies", StringComparison.Ordinal));
    }
}
