using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace MeshStack.Services.Tests;

/// <summary>
/// The gateway exposes exactly the public API: the operations the application topology declares for it, each needing
/// a token where it should when JWTs are checked; nothing internal (reservations, releases, charges) gets through.
/// That its routes are exactly the topology's api-gateway routes, both ways, is RouteContractTests' (as for every service).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class GatewayTests : IAsyncLifetime
{
    private const string SomeId = "0190a5b0-0000-7000-8000-000000000001";

    /// <summary>The public API as specified (not read from the gateway's table): method, path, token required.</summary>
    private static readonly (string Method, string Path, bool SignedIn)[] Expected =
    [
        ("GET", "/orders", true),
        ("GET", "/orders?customerId=alice&limit=5", true),
        ("POST", "/orders", true),
        ("GET", $"/orders/{SomeId}", true),
        ("GET", "/inventory", false),
        ("GET", "/inventory/MUG-001", false),
        ("GET", $"/payments/{SomeId}", true),
    ];

    /// <summary>Operations that exist on some service (or look as if they might) but are not public.</summary>
    private static readonly (string Method, string Path)[] Internal =
    [
        ("POST", "/inventory/reservations"),
        ("POST", $"/inventory/reservations/{SomeId}/release"),
        ("POST", $"/inventory/reservations/{SomeId}/commit"),
        ("GET", $"/inventory/reservations/{SomeId}/release"),
        ("POST", "/inventory"),
        ("PUT", "/inventory/MUG-001"),
        ("POST", "/payments"),
        ("POST", "/payments/refunds"),
        ("GET", "/payments"),
        ("GET", $"/payments?orderId={SomeId}"),
        ("POST", $"/payments/{SomeId}"),
        ("PUT", "/orders"),
        ("DELETE", $"/orders/{SomeId}"),
        ("POST", $"/orders/{SomeId}"),
        ("GET", $"/orders/{SomeId}/payment"),
        ("GET", "/healthz/../payments"),
        ("GET", "/ordersx"),
    ];

    private readonly ConcurrentQueue<string> _reached = new();
    private TestIssuer _issuer = null!;
    private WebApplication _upstream = null!;
    private ServiceHost _checked = null!;
    private ServiceHost _open = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        // One stand-in for the three upstream services: it records every request that gets through.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _upstream = builder.Build();
        _upstream.Map("/{**path}", (HttpContext context) =>
        {
            _reached.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            return $"upstream saw {context.Request.Path}";
        });
        await _upstream.StartAsync();
        var upstream = _upstream.Urls.Single();

        Dictionary<string, string?> Settings(bool jwt)
        {
            var settings = TestStack.Wired("api-gateway", _ => new Uri(upstream));
            if (jwt)
            {
                foreach (var (key, value) in _issuer.Settings())
                {
                    settings[key] = value;
                }
            }

            return settings;
        }

        _checked = await ServiceHost.StartAsync("api-gateway", (a, c) => ApiGateway.Program.Build(a, c), Settings(jwt: true));
        _open = await ServiceHost.StartAsync("api-gateway", (a, c) => ApiGateway.Program.Build(a, c), Settings(jwt: false));
    }

    public async Task DisposeAsync()
    {
        await _checked.DisposeAsync();
        await _open.DisposeAsync();
        await _upstream.StopAsync();
        await _upstream.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Orders_need_a_valid_token_with_an_accepted_role()
    {
        using var client = _checked.Client();

        using (var user = await SendAsync(client, "GET", "/orders/42", _issuer.Token(role: "user")))
        {
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            Assert.Equal("upstream saw /orders/42", await user.Content.ReadAsStringAsync());
        }

        using (var guest = await SendAsync(client, "GET", "/orders", _issuer.Token(role: "guest")))
        {
            await guest.AssertProblemAsync(403);
        }

        using (var otherAudience = await SendAsync(client, "GET", "/orders", _issuer.Token(role: "admin", audience: "someone-else")))
        {
            await otherAudience.AssertProblemAsync(401);
        }

        using (var otherIssuer = await SendAsync(client, "GET", "/orders", _issuer.Token(role: "admin", issuer: "https://elsewhere.test")))
        {
            await otherIssuer.AssertProblemAsync(401);
        }

        using (var otherKey = await SendAsync(client, "GET", "/orders", _issuer.Token(role: "admin", key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" })))
        {
            await otherKey.AssertProblemAsync(401);
        }
    }

    [Fact]
    public async Task Each_public_route_needs_a_token_exactly_where_specified()
    {
        using var client = _checked.Client();
        foreach (var (method, path, signedIn) in Expected)
        {
            _reached.Clear();
            using (var anonymous = await SendAsync(client, method, path, token: null))
            {
                if (signedIn)
                {
                    await anonymous.AssertProblemAsync(401);
                    Assert.True(_reached.IsEmpty, $"{method} {path} reached a service without a token");
                }
                else
                {
                    Assert.True(anonymous.StatusCode == HttpStatusCode.OK, $"{method} {path} without a token: {(int)anonymous.StatusCode}");
                    Assert.Equal([$"{method} {path}"], _reached);
                }
            }

            _reached.Clear();
            using var user = await SendAsync(client, method, path, _issuer.Token(role: "user"));
            Assert.True(user.StatusCode == HttpStatusCode.OK, $"{method} {path} with a token: {(int)user.StatusCode}");
            Assert.Equal([$"{method} {path}"], _reached);
        }
    }

    [Fact]
    public async Task Internal_operations_never_reach_a_service_with_or_without_a_token()
    {
        var admin = _issuer.Token(role: "admin");
        foreach (var gateway in new[] { _checked, _open })
        {
            using var client = gateway.Client();
            foreach (var (method, path) in Internal)
            {
                _reached.Clear();
                using var response = await SendAsync(client, method, path, admin);
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed,
                    $"{method} {path}: {(int)response.StatusCode}");
                await response.AssertProblemAsync((int)response.StatusCode);
                Assert.True(_reached.IsEmpty, $"{method} {path} reached {string.Join(", ", _reached)}");
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = Http.Json("{}");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await client.SendAsync(request);
    }
}
