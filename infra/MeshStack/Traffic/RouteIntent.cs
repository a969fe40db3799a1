using MeshStack.Topology;

namespace MeshStack.Traffic;

/// <summary>
/// One route of a service as the mesh must treat it: its match (from the topology; <see cref="Method"/> null
/// means any method), a timeout always, retries only when the route is idempotent, a fault when a drill covers it.
/// </summary>
public sealed record RouteIntent(string Name, string? Method, PathMatch Path, TimeSpan Timeout, RetryPolicy? Retries, FaultDrill? Fault);
