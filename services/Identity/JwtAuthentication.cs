using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MeshStack.Identity;

public static class JwtAuthentication
{
    /// <summary>The policy every signed-in route requires: a valid token carrying the required claims.</summary>
    public const string SignedInPolicy = "signed-in";

    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static JwtSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(JwtSettings.Section).Get<JwtSettings>() ?? new JwtSettings();

    /// <summary>
    /// Adds JWT bearer authentication and <see cref="SignedInPolicy"/> when Jwt:Enabled, and the settings as a
    /// singleton either way; returns whether JWTs are checked.
    /// </summary>
    public static bool AddJwtAuthentication(this WebApplicationBuilder builder)
    {
        var settings = Settings(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (!settings.Enabled)
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(settings.Issuer))
        {
            throw new InvalidOperationException("Jwt:Issuer is required when Jwt:Enabled is true.");
        }

        if (string.IsNullOrWhiteSpace(settings.JwksUri) && string.IsNullOrWhiteSpace(settings.Authority))
        {
            throw new InvalidOperationException("Jwt:JwksUri or Jwt:Authority is required when Jwt:Enabled is true.");
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // Keep claim names as the issuer wrote them ("role", not the long WS-Federation URIs).
            options.MapInboundClaims = false;
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudiences = settings.Audiences,
                ValidateAudience = settings.Audiences.Count > 0,
                ValidateLifetime = true,
                RoleClaimType = RoleClaim,
                NameClaimType = SubjectClaim,
            };

            if (!string.IsNullOrWhiteSpace(settings.JwksUri))
            {
                // Fetched on first use and refreshed by the manager, like discovery documents are.
                options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    settings.JwksUri, new JwksRetriever(), new HttpDocumentRetriever { RequireHttps = settings.RequireHttpsMetadata });
            }
            else
            {
                options.Authority = settings.Authority;
            }
        });

        builder.Services.AddAuthorizationBuilder().AddPolicy(SignedInPolicy, policy =>
        {
            policy.RequireAuthenticatedUser();
            foreach (var (claim, values) in settings.RequiredClaims)
            {
                policy.RequireClaim(claim, values);
            }
        });

        return true;
    }

    /// <summary>Reads a bare JWKS document into the configuration shape JwtBearer consumes.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration();
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
