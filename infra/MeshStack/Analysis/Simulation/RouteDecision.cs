namespace MeshStack.Analysis.Simulation;

/// <summary>One destination of a route: a Service (or host) and port, an optional subset, and its weight.</summary>
public sealed record RouteBackend(string Name, string? Subset, int? Port, int Weight)
{
    public override string ToString() => $"{Name}{(Subset is null ? "" : $" subset {Subset}")}{(Port is null ? "" : $":{Port}")} weight {Weight}";
}

/// <summary>
/// Where a mesh sends a request: the object and rule that matched, why the rules ranked before it did not, the
/// destinations, and the rule's timeout, retries and fault drill (null or 0 when none).
/// </summary>
public sealed record RouteDecision(
    string Object,
    string Rule,
    IReadOnlyList<string> NotMatched,
    IReadOnlyList<RouteBackend> Backends,
    string? Timeout,
    int RetryAttempts,
    string? RetryOn,
    string? PerTryTimeout,
    string? Fault);
