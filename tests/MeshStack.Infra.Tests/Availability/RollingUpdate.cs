using System.Globalization;

namespace MeshStack.Tests.Availability;

/// <summary>
/// A Deployment's rolling update on a cluster of <c>nodes</c> nodes, as the deployment controller runs it: new pods are
/// added while the total stays within replicas + maxSurge, old pods removed while the available ones stay at least
/// replicas - maxUnavailable. Percentages resolve as Kubernetes resolves them (ResolveFenceposts in
/// pkg/controller/deployment/util/deployment_util.go: surge rounds up, unavailable rounds down, and both 0 becomes
/// unavailable 1). With required pod anti-affinity on the host name a node holds at most one pod of the Deployment,
/// old or new, so a surge pod needs a node without one.
/// </summary>
public static class RollingUpdate
{
    public sealed record Strategy(string MaxSurge, string MaxUnavailable);

    public static (int Surge, int Unavailable) Resolve(Strategy s, int replicas)
    {
        var surge = Value(s.MaxSurge, replicas, roundUp: true);
        var unavailable = Value(s.MaxUnavailable, replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    private static int Value(string v, int replicas, bool roundUp)
    {
        if (!v.EndsWith('%')) return int.Parse(v, CultureInfo.InvariantCulture);
        var exact = replicas * int.Parse(v[..^1], CultureInfo.InvariantCulture) / 100.0;
        return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
    }

    /// <summary>True when every old pod is replaced; false when the update waits forever (a pod that cannot schedule).</summary>
    public static bool Completes(int replicas, Strategy strategy, bool requiredAntiAffinity, int nodes)
    {
        var (surge, unavailable) = Resolve(strategy, replicas);
        var (old, @new) = (replicas, 0);
        while (old > 0)
        {
            var total = old + @new;
            var schedulable = !requiredAntiAffinity || total < nodes;
            if (total < replicas + surge && schedulable) { @new++; continue; }
            if (total - 1 >= replicas - unavailable) { old--; continue; }
            // new pods are only created up to replicas: once old pods are gone the update is done
            if (@new >= replicas) break;
            return false;
        }
        return true;
    }
}
