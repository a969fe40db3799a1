using System.Security.Claims;

namespace MeshStack.Identity;

/// <summary>
/// Who made a request, as far as the API's rules care: nobody in particular (JWTs not checked: no ownership rules),
/// or a signed-in subject (the token's <c>sub</c>), possibly an admin.
/// </summary>
public sealed record Caller(string? Subject, bool IsAdmin)
{
    public static readonly Caller Unchecked = new(null, false);

    /// <summary>Ownership applies: the caller is a signed-in shopper, not an admin.</summary>
    public bool IsRestricted => Subject is not null && !IsAdmin;

    public static Caller From(ClaimsPrincipal user, JwtSettings settings)
    {
        if (!settings.Enabled)
        {
            return Unchecked;
        }

        // The authorization policy already required an authenticated user; a token without a subject owns nothing.
        var subject = user.FindFirst(JwtAuthentication.SubjectClaim)?.Value ?? "";
        var admin = user.FindAll(JwtAuthentication.RoleClaim).Any(role => settings.EffectiveAdminRoles.Contains(role.Value, StringComparer.Ordinal));
        return new Caller(subject, admin);
    }
}
