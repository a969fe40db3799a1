using MeshStack.Flagger;
using MeshStack.Topology;

namespace MeshStack.Traffic;

/// <summary>
/// One owner per call: the mesh times out and retries every call, so a service's own client (ServiceDefaults'
/// <c>ResilienceHandler</c>, one attempt when <c>Resilience__AppRetries=false</c>) must never give up before the mesh
/// does. Its attempt and total timeouts are the longest mesh timeout of the routes it calls (whose per-try timeouts and
/// retries all fit inside it) plus <see cref="Margin"/>, so the mesh's own answer (a 504 or the retried response)
/// reaches the app instead of the app abandoning a call that the callee may still complete, like a charge.
/// </summary>
public static class AppCallTimeouts
{
    /// <summary>Lets the mesh's timeout response travel back before the app's own timer fires.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    /// <summary>The app's call timeout for <paramref name="caller"/>, or null when it calls no other service.</summary>
    public static TimeSpan? For(AppService caller, AppTopology topology, TrafficIntent intent)
    {
        var meshTimeouts = topology.Calls.Where(c => c.From == caller)
            .SelectMany(c => c.Routes.Select(r => MeshTimeout(intent.Service(c.To.Name), r)))
            .ToList();
        return meshTimeouts.Count == 0 ? null : meshTimeouts.Max() + Margin;
    }

    /// <summary>What the mesh allows a call to this route: Flagger routes its service with one rule and one timeout.</summary>
    private static TimeSpan MeshTimeout(ServiceTraffic callee, ApiRoute route) => callee.Canary is { Automated: true }
        ? FlaggerCanary.Timeout(callee)
        : callee.Routes.Single(r => r.Name == route.Name).Timeout;
}
