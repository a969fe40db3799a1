namespace MeshStack.Identity;

/// <summary>
/// Section <c>Jwt</c>: JWT validation, the same settings at the api-gateway and at order.
/// Keys come from <see cref="JwksUri"/> (a plain JWKS document, as in Istio's RequestAuthentication) or from
/// <see cref="Authority"/> (OpenID Connect discovery).
/// </summary>
public sealed class JwtSettings
{
    public const string Section = "Jwt";

    public bool Enabled { get; set; }
    public string? Issuer { get; set; }
    public string? JwksUri { get; set; }
    public string? Authority { get; set; }
    public List<string> Audiences { get; set; } = [];

    /// <summary>Claim name to accepted values; a token needs one accepted value of each claim (e.g. role: admin, user).</summary>
    public Dictionary<string, List<string>> RequiredClaims { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Values of the <c>role</c> claim that may read every customer's orders; none configured means <c>admin</c>.</summary>
    public List<string> AdminRoles { get; set; } = [];

    // Not a list initializer: configuration binding appends to a list it finds, so a default would never go away.
    public IReadOnlyList<string> EffectiveAdminRoles => AdminRoles.Count > 0 ? AdminRoles : ["admin"];

    /// <summary>Key documents must come over https unless this is turned off (in-cluster issuers often speak http).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
