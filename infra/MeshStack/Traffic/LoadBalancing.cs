namespace MeshStack.Traffic;

public enum LoadBalancerKind { RoundRobin, LeastRequest, ConsistentHash }

/// <summary>How a caller picks an endpoint. <see cref="HashHeader"/> is set only for consistent hashing.</summary>
public sealed record LoadBalancing(LoadBalancerKind Kind, string? HashHeader = null)
{
    public static LoadBalancing LeastRequest { get; } = new(LoadBalancerKind.LeastRequest);
}
