using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeshStack.Services.Tests;

/// <summary>The gateway's optional JWT check: /orders* needs a valid token with the required claims, the rest stays open.</summary>
[Collection(ServicesCollection.Name)]
public sealed class GatewayJwtTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.meshstack.test";
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    private WebApplication _upstream = null!;
    private ServiceHost _gateway = null!;

    public async Task InitializeAsync()
    {
        // One stand-in for the issuer's JWKS endpoint and for the three upstream services.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _upstream = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
        _upstream.MapGet("/jwks", () => Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } }));
        _upstream.MapGet("/{**path}", (HttpContext context) => $"upstream saw {context.Request.Path}");
        await _upstream.StartAsync();
        var upstream = _upstream.Urls.Single();

        var settings = TestStack.BaseSettings();
        settings["Downstream:Order"] = upstream;
        settings["Downstream:Inventory"] = upstream;
        settings["Downstream:Payment"] = upstream;
        settings["Jwt:Enabled"] = "true";
        settings["Jwt:Issuer"] = Issuer;
        settings["Jwt:JwksUri"] = upstream + "/jwks";
        settings["Jwt:RequireHttpsMetadata"] = "false";
        settings["Jwt:Audiences:0"] = "meshstack";
        settings["Jwt:RequiredClaims:role:0"] = "admin";
        settings["Jwt:RequiredClaims:role:1"] = "user";
        _gateway = await ServiceHost.StartAsync("api-gateway", (a, c) => ApiGateway.Program.Build(a, c), settings);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.StopAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Orders_need_a_valid_token_with_an_accepted_role()
    {
        using var client = _gateway.Client();

        using (var anonymous = await client.GetAsync("/orders"))
        {
            await anonymous.AssertProblemAsync(401);
        }

        using (var user = await GetAsync(client, "/orders/42", Token(role: "user")))
        {
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            Assert.Equal("upstream saw /orders/42", await user.Content.ReadAsStringAsync());
        }

        using (var guest = await GetAsync(client, "/orders", Token(role: "guest")))
        {
            await guest.AssertProblemAsync(403);
        }

        using (var otherAudience = await GetAsync(client, "/orders", Token(role: "admin", audience: "someone-else")))
        {
            await otherAudience.AssertProblemAsync(401);
        }

        using (var otherIssuer = await GetAsync(client, "/orders", Token(role: "admin", issuer: "https://elsewhere.test")))
        {
            await otherIssuer.AssertProblemAsync(401);
        }

        using (var otherKey = await GetAsync(client, "/orders", Token(role: "admin", key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" })))
        {
            await otherKey.AssertProblemAsync(401);
        }
    }

    [Fact]
    public async Task Inventory_and_payments_stay_open()
    {
        using var client = _gateway.Client();
        Assert.Equal("upstream saw /inventory", await client.GetStringAsync("/inventory"));
        Assert.Equal("upstream saw /payments/7", await client.GetStringAsync("/payments/7"));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request);
    }

    private string Token(string role, string audience = "meshstack", string issuer = Issuer, SecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "tester"), new Claim("role", role)]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        });
}
