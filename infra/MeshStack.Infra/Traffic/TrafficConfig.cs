namespace MeshStack.Traffic;

/// <summary>
/// The per-environment part of traffic management (<c>mesh-stack:traffic</c>), validated against the topology.
/// Everything else is derived from the topology by <see cref="TrafficIntent"/>.
/// </summary>
public sealed record TrafficConfig(
    CanaryIntent? Canary,
    IReadOnlyList<FaultDrill> Faults,
    IReadOnlyList<EdgeHost> Edge,
    IReadOnlyDictionary<string, LoadBalancing> LoadBalancing,
    IReadOnlyDictionary<string, RouteOverride> Routes)
{
    public static TrafficConfig None { get; } = new(null, [], [], new Dictionary<string, LoadBalancing>(), new Dictionary<string, RouteOverride>());

    /// <summary>Key of <see cref="Routes"/>: <c>service/route</c>.</summary>
    public static string RouteKey(string service, string route) => $"{service}/{route}";

    // value equality over the collections, so two bindings of the same config compare equal
    public bool Equals(TrafficConfig? other) =>
        other is not null
        && Equals(Canary, other.Canary)
        && Faults.SequenceEqual(other.Faults)
        && Edge.SequenceEqual(other.Edge)
        && LoadBalancing.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(other.LoadBalancing.OrderBy(p => p.Key, StringComparer.Ordinal))
        && Routes.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(other.Routes.OrderBy(p => p.Key, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Canary, Faults.Count, Edge.Count, LoadBalancing.Count, Routes.Count);
}
