using System.Security.Claims;
using System.Security.Cryptography;
using MeshStack.LocalRun;
using MeshStack.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeshStack.Services.Tests;

/// <summary>A stand-in identity provider: a JWKS endpoint on loopback and tokens signed with its key.</summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Issuer = "https://issuer.meshstack.test";
    public const string Audience = "meshstack";
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    private readonly WebApplication _app;

    private TestIssuer(WebApplication app) => _app = app;

    public string JwksUri => _app.Urls.Single() + "/jwks";

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var issuer = new TestIssuer(builder.Build());
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(issuer._key);
        issuer._app.MapGet("/jwks", () => Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } }));
        await issuer._app.StartAsync();
        return issuer;
    }

    /// <summary>
    /// The Jwt:* settings that make a service check this issuer's tokens (roles admin and user accepted): what the infra
    /// renders for a stack's <c>jwt</c> (Security/JwtEnvironment.cs, the same code), plus key fetching over plain http
    /// from this loopback issuer.
    /// </summary>
    public Dictionary<string, string?> Settings()
    {
        var jwt = new JwtConfig(Issuer, JwksUri, [Audience], [new("role", ["admin", "user"])], Paths: []);
        var settings = JwtEnvironment.For(jwt).ToDictionary(v => LocalWiring.ConfigurationKey(v.Name), v => (string?)v.Value, StringComparer.Ordinal);
        settings["Jwt:RequireHttpsMetadata"] = "false";
        return settings;
    }

    public string Token(string subject = "tester", string role = "user", string audience = Audience, string issuer = Issuer, SecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
