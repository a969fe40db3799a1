using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MeshStack.ApiGateway;

/// <summary>
/// Section <c>Jwt</c>: JWT validation at the gateway, for meshes that cannot check JWTs at the edge.
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

    /// <summary>Key documents must come over https unless this is turned off (in-cluster issuers often speak http).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

public static class GatewayJwt
{
    public const string OrdersPolicy = "orders";

    /// <summary>Adds JWT bearer authentication and the /orders policy when Jwt:Enabled; returns whether it did.</summary>
    public static bool AddGatewayJwt(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JwtSettings.Section).Get<JwtSettings>() ?? new JwtSettings();
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
                RoleClaimType = "role",
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

        builder.Services.AddAuthorizationBuilder().AddPolicy(OrdersPolicy, policy =>
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
