namespace MeshStack.Traffic;

/// <summary>A stack's change to one route's derived policy: a different timeout or number of retries.</summary>
public sealed record RouteOverride(string Route, TimeSpan? Timeout, int? Retries);
