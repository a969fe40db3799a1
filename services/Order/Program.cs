using MeshStack.Postgres;
using MeshStack.ServiceDefaults;
using Microsoft.AspNetCore.Mvc;

namespace MeshStack.Order;

public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>Builds the order service; tests use <paramref name="configure"/> to host it on a loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceApplication.CreateBuilder("order", typeof(Program).Assembly, args, configure);
        builder.AddPostgres("order", OrderSchema.Migrations);
        // Read now, so a missing address stops the service at startup rather than failing its first order.
        var inventory = Downstream.Address(builder.Configuration, "Inventory");
        var payment = Downstream.Address(builder.Configuration, "Payment");
        // Typed clients made by a delegate: the default typed-client activator compiles an expression tree,
        // which loads System.Linq.Expressions and JIT-compiles its compiler (a few MB of resident memory).
        builder.Services.AddHttpClient(nameof(InventoryClient), http => http.BaseAddress = inventory)
            .AddTypedClient(http => new InventoryClient(http));
        builder.Services.AddHttpClient(nameof(PaymentClient), http => http.BaseAddress = payment)
            .AddTypedClient(http => new PaymentClient(http));
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTransient<PlaceOrder>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OrderJson.Default));

        var app = builder.Build();
        app.UseServiceDefaults();

        // Newest first; ?customerId= narrows to one customer, ?limit= (1..200, default 50) caps the count.
        app.MapGet("/orders", async Task<IResult> (string? customerId, string? limit, OrderStore store, CancellationToken ct) =>
        {
            var count = 50;
            if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > 200))
            {
                return new FieldErrors().Add("limit", "Must be a whole number between 1 and 200.").ToProblem();
            }

            return TypedResults.Ok(await store.ListAsync(customerId, count, ct));
        });

        app.MapGet("/orders/{id}", async Task<IResult> (string id, OrderStore store, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out var orderId))
            {
                return new FieldErrors().Add("id", "Must be a UUID.").ToProblem();
            }

            return await store.GetAsync(orderId, ct) is { } order
                ? TypedResults.Ok(order)
                : TypedResults.Problem(statusCode: 404, title: "Unknown order.", detail: $"No order has id '{id}'.");
        });

        // Reserves stock, charges, and records the order; see PlaceOrder for the outcomes and their status codes.
        app.MapPost("/orders", (CreateOrderRequest request, [FromHeader(Name = PlaceOrder.IdempotencyKeyHeader)] string? idempotencyKey, PlaceOrder placeOrder) =>
            // Not the request's CancellationToken: once stock is reserved the saga runs to its end (bounded by the
            // outgoing-call timeouts) even if the caller goes away, so nothing is left half done.
            placeOrder.ExecuteAsync(request, idempotencyKey));

        return app;
    }
}
