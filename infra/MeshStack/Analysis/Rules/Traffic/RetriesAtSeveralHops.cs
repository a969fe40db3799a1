namespace MeshStack.Analysis.Rules.Traffic;

/// <summary>
/// When the mesh retries both a call into a service and that service's own calls, attempts multiply along the path
/// (3 tries at each of two hops: up to 9 requests reach the last callee during an outage). Retry at one hop of a path.
/// </summary>
public sealed class RetriesAtSeveralHops : AnalysisRule
{
    public override string Id => "MS312";
    public override FindingLevel Level => FindingLevel.Warning;
    public override string Summary => "the mesh retries at more than one hop of a call path";

    public override IEnumerable<Finding> Check(RenderModel model)
    {
        foreach (var cluster in model.Clusters)
        foreach (var inbound in model.Topology.Calls)
        {
            var middle = inbound.To;
            var inboundRetried = inbound.Routes.Where(r => Attempts(model, cluster, middle.Name, r) > 0).ToList();
            if (inboundRetried.Count == 0) continue;
            foreach (var outbound in model.Topology.Calls.Where(c => c.From == middle))
            {
                // a call is caused by an inbound request when the inbound route forwards its path (the gateway's prefixes):
                // the topology does not say which handler makes which call, and a forwarded path is the link we can see
                var retried = outbound.Routes.Where(r => Attempts(model, cluster, outbound.To.Name, r) > 0
                    && Simulation.MeshRoutes.SampleCall(r) is { } sample && inboundRetried.Any(i => i.Method == r.Method && Forwards(i, sample.Path))).ToList();
                if (retried.Count == 0 || ServiceResolver.Find(model, cluster, outbound.To.Name, model.Topology.Namespace) is not { } svc) continue;
                yield return At(svc, $"{inbound.From.Name} -> {middle.Name} ({string.Join(", ", inboundRetried.Select(r => r.Name))}) and {middle.Name} -> {outbound.To.Name} ({string.Join(", ", retried.Select(r => r.Name))}) are both retried: attempts multiply",
                    "retry at the hop closest to the failure only (or set a retry budget)");
            }
        }
    }

    private static bool Forwards(Topology.ApiRoute inbound, string path) => inbound.Path.Kind switch
    {
        Topology.PathMatchKind.Exact => path == inbound.Path.Value,
        Topology.PathMatchKind.Prefix => path.StartsWith(inbound.Path.Value, StringComparison.Ordinal),
        _ => false,
    };

    private static int Attempts(RenderModel model, string cluster, string service, Topology.ApiRoute route) =>
        Simulation.MeshRoutes.SampleCall(route) is { } call ? Simulation.MeshRoutes.Decide(model, cluster, service, call)?.RetryAttempts ?? 0 : 0;
}
