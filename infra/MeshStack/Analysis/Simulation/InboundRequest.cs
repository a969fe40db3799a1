namespace MeshStack.Analysis.Simulation;

/// <summary>An inbound HTTP request as a sidecar sees it after mTLS and JWT validation.</summary>
/// <param name="Principal">The peer's mTLS principal/identity; null for a plaintext (unmeshed) client.</param>
/// <param name="RequestPrincipal">iss/sub of a valid JWT; null without one.</param>
/// <param name="Port">The destination port, for TCP rules.</param>
public sealed record InboundRequest(string? Principal, string Method, string Path, string? RequestPrincipal = null,
    IReadOnlyDictionary<string, string>? Claims = null, int? Port = null);
