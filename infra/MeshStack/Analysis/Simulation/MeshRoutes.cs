namespace MeshStack.Analysis.Simulation;

/// <summary>Where the stack's mesh routes a call to an app service in a cluster: the router of that mesh on that cluster's objects.</summary>
public static class MeshRoutes
{
    public static RouteDecision? Decide(RenderModel model, string cluster, string service, HttpCall call)
    {
        var ns = model.Topology.Namespace;
        return model.Decision(cluster, service, call, () => model.Mesh.RouteIn(model, cluster, service, ns, call));
    }

    /// <summary>A request that a topology route's path matches (prefixes get a segment; regex routes have none).</summary>
    public static HttpCall? SampleCall(Topology.ApiRoute route) => route.Path.Kind switch
    {
        Topology.PathMatchKind.Exact => new HttpCall(route.Method, route.Path.Value),
        Topology.PathMatchKind.Prefix => new HttpCall(route.Method, route.Path.Value.TrimEnd('/') + "/x"),
        _ => null,
    };

    /// <summary>The app service a pod template runs (its app label, or app-&lt;variant&gt; for canaries).</summary>
    public static Topology.AppService? ServiceOf(RenderModel model, Security.Policy.WorkloadPod pod)
    {
        var app = pod.Labels.GetValueOrDefault("app") ?? "";
        return model.Topology.Services.FirstOrDefault(s => s.Name == app || app.StartsWith(s.Name + "-", StringComparison.Ordinal));
    }
}
