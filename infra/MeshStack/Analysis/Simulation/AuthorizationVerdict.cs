namespace MeshStack.Analysis.Simulation;

/// <summary>What a proxy decides for one request, and the policy objects (kind/namespace/name) that decided it.</summary>
public sealed record AuthorizationVerdict(bool Allowed, string Reason, IReadOnlyList<string> DecidedBy);
