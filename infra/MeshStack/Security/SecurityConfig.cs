using MeshStack.Config;

namespace MeshStack.Security;

/// <summary>
/// JWT validation at the edge. Istio enforces it in the proxies (RequestAuthentication + an AuthorizationPolicy);
/// Linkerd has no JWT support, so the api-gateway validates tokens itself from the same settings.
/// </summary>
/// <param name="RequiredClaims">Claim name to the values it may take (e.g. role in [admin, user]).</param>
/// <param name="Paths">Request paths that need a valid token, in Istio's notation (a trailing * is a prefix match).</param>
public sealed record JwtConfig(
    string Issuer,
    string JwksUri,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> RequiredClaims,
    IReadOnlyList<string> Paths);

/// <summary>The policy pack's settings: rules lowered from errors to warnings.</summary>
public sealed record PolicyConfig(IReadOnlySet<string> Warn)
{
    public static PolicyConfig Default { get; } = new(new HashSet<string>(StringComparer.Ordinal));
}

/// <summary>mTLS mode per namespace: the stack-wide mode unless a namespace overrides it (step-by-step migration).</summary>
public static class MtlsModes
{
    public static MtlsMode For(StackConfig config, string ns) =>
        config.MtlsOverrides.TryGetValue(ns, out var mode) ? mode : config.Mtls;
}
