using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MeshStack.Services.Tests;

/// <summary>
/// With JWTs checked, the customer is the token's subject: two shoppers and an admin, through the gateway and
/// straight at order (which checks the same tokens, so bypassing the gateway gains nothing).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class OwnershipTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Shoppers_list_read_and_place_only_their_own_orders_and_an_admin_reads_all()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions { Jwt = issuer.Settings() });
        using var alice = Client(stack.Gateway, issuer.Token("alice"));
        using var bob = Client(stack.Gateway, issuer.Token("bob"));
        using var admin = Client(stack.Gateway, issuer.Token("ops", role: "admin"));

        // Placing: no customerId means the subject's; the subject's own is fine; anyone else's is 403 and writes nothing.
        var aliceOrder = await PlaceAsync(alice, """{"items":[{"sku":"MUG-001","quantity":1}]}""");
        Assert.Equal("alice", aliceOrder.GetProperty("customerId").GetString());
        var bobOrder = await PlaceAsync(bob, """{"customerId":"bob","items":[{"sku":"TEE-002","quantity":1}]}""");
        var stock = await Http.StockAsync(admin, "CAP-003");
        using (var forBob = await Http.PostOrderAsync(alice, Http.Json("""{"customerId":"bob","items":[{"sku":"CAP-003","quantity":1}]}"""), "alice-for-bob"))
        {
            await forBob.AssertProblemAsync(403);
        }

        using (var adminForBob = await Http.PostOrderAsync(admin, Http.Json("""{"customerId":"bob","items":[{"sku":"CAP-003","quantity":1}]}""")))
        {
            await adminForBob.AssertProblemAsync(403);
        }

        Assert.Equal(stock, await Http.StockAsync(admin, "CAP-003"));

        // Listing: one's own, by default or by name; someone else's by name is 403.
        Assert.Equal([Id(aliceOrder)], await ListAsync(alice, "/orders"));
        Assert.Equal([Id(aliceOrder)], await ListAsync(alice, "/orders?customerId=alice"));
        Assert.Equal([Id(bobOrder)], await ListAsync(bob, "/orders"));
        using (var aliceListsBob = await alice.GetAsync("/orders?customerId=bob"))
        {
            await aliceListsBob.AssertProblemAsync(403);
        }

        // Reading: someone else's order does not exist for you.
        using (var aliceReadsBob = await alice.GetAsync($"/orders/{Id(bobOrder)}"))
        {
            await aliceReadsBob.AssertProblemAsync(404);
        }

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/orders/{Id(aliceOrder)}")).StatusCode);

        // An admin reads everyone's.
        Assert.Equal([Id(bobOrder), Id(aliceOrder)], await ListAsync(admin, "/orders"));
        Assert.Equal([Id(bobOrder)], await ListAsync(admin, "/orders?customerId=bob"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/orders/{Id(bobOrder)}")).StatusCode);

        // Straight at order, past the gateway: the same rules.
        using var direct = Client(stack.Order, token: null);
        using (var anonymous = await direct.GetAsync("/orders"))
        {
            await anonymous.AssertProblemAsync(401);
        }

        using var aliceDirect = Client(stack.Order, issuer.Token("alice"));
        using (var aliceReadsBobDirect = await aliceDirect.GetAsync($"/orders/{Id(bobOrder)}"))
        {
            await aliceReadsBobDirect.AssertProblemAsync(404);
        }

        Assert.Equal([Id(aliceOrder)], await ListAsync(aliceDirect, "/orders"));
    }

    [PostgresFact]
    public async Task The_same_idempotency_key_from_two_shoppers_is_two_orders()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var stack = await TestStack.StartAsync(postgres, new StackOptions { Jwt = issuer.Settings() });
        using var alice = Client(stack.Gateway, issuer.Token("alice"));
        using var bob = Client(stack.Gateway, issuer.Token("bob"));
        var body = """{"items":[{"sku":"STK-004","quantity":1}]}""";

        using var first = await Http.PostOrderAsync(alice, Http.Json(body), "shared-key");
        using var second = await Http.PostOrderAsync(bob, Http.Json(body), "shared-key");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("bob", (await second.ReadJsonAsync()).GetProperty("customerId").GetString());
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
    }

    private static HttpClient Client(ServiceHost host, string? token)
    {
        var client = host.Client();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task<JsonElement> PlaceAsync(HttpClient client, string body)
    {
        using var response = await Http.PostOrderAsync(client, Http.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static async Task<IReadOnlyList<Guid>> ListAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path)).EnumerateArray().Select(Id).ToList();

    private static Guid Id(JsonElement order) => order.GetProperty("id").GetGuid();
}
