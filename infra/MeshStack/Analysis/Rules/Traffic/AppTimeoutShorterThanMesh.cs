namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// A caller whose own client gives up before the mesh route's timeout abandons requests the mesh is still waiting for:
/// the callee keeps working on a write the caller will report as failed (and may repeat). The services' HTTP clients
/// stop after <c>Resilience__TotalTimeoutMs</c> (default 5000 ms, services/ServiceDefaults/Resilience.cs 23, applied to
/// every HttpClient by ServiceDefaultsExtensions.cs 54-59); the api-gateway forwards through YARP instead, with a
/// 30 s activity timeout (services/ApiGateway/GatewayRoutes.cs 36), so it is judged against that.
/// </summary>
public sealed class AppTimeoutShorterThanMesh : AnalysisRule
{
    private static readonly TimeSpan DefaultAppTimeout = TimeSpan.FromMilliseconds(5000);
    private static readonly TimeSpan GatewayForwardTimeout = TimeSpan.FromSeconds(30);

    public override string Id => "MS314";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "a caller's own HTTP timeout is shorter than the mesh timeout of a route it calls";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var pod in model.Pods)
        {
            if (Simulation.MeshRoutes.ServiceOf(model, pod) is not { } caller) continue;
            var env = pod.Containers.SelectMany(c => Json.Objects(c["env"])).FirstOrDefault(e => Json.Str(e["name"]) == "Resilience__TotalTimeoutMs");
            var appTimeout = caller.Name == "api-gateway" ? GatewayForwardTimeout
                : int.TryParse(Json.Str(env?["value"]), out var ms) ? TimeSpan.FromMilliseconds(ms) : DefaultAppTimeout;
            var shorter = new List<string>();
            foreach (var call in model.Topology.Calls.Where(c => c.From == caller))
            foreach (var route in call.Routes)
            {
                if (Simulation.MeshRoutes.SampleCall(route) is not { } sample) continue;
                var decision = Simulation.MeshRoutes.Decide(model, pod.Owner.Cluster, call.To.Name, sample);
                if (RetriesExceedTimeout.Duration(decision?.Timeout) is { } mesh && mesh > appTimeout)
                    shorter.Add($"{call.To.Name} {route.Method} {route.Path.Value} ({mesh.TotalSeconds}s)");
            }
            if (shorter.Count > 0)
                yield return At(pod.Owner, $"the app gives up after {appTimeout.TotalSeconds}s, before the mesh timeout of {string.Join(", ", shorter)}: requests are abandoned while the callee still works",
                    "make the app's timeout at least the mesh route's (Resilience__TotalTimeoutMs), or lower the route timeout");
        }
    }
}
