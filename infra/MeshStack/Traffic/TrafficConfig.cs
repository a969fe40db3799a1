using MeshStack.Config;

namespace MeshStack.Traffic;

/// <summary>
/// The per-environment part of traffic management (<c>mesh-stack:traffic</c>), validated against the topology:
/// the canary, drills and edge hosts, and one <see cref="ServiceTrafficSettings"/> per service that has settings.
/// Everything else is derived from the topology by <see cref="TrafficIntent"/>.
/// </summary>
public sealed record TrafficConfig(
    CanaryIntent? Canary,
    EquatableList<FaultDrill> Faults,
    EquatableList<EdgeHost> Edge,
    EquatableList<ServiceTrafficSettings> Services)
{
    public static TrafficConfig None { get; } = new(null, [], [], []);

    /// <summary>The settings of <paramref name="service"/> (none set: all derived).</summary>
    public ServiceTrafficSettings For(string service) => Services.FirstOrDefault(s => s.Service == service) ?? ServiceTrafficSettings.None(service);

    /// <summary>The key of a route override in <c>traffic.routes</c>: <c>service/route</c>.</summary>
    public static string RouteKey(string service, string route) => $"{service}/{route}";
}
