using System.Security.Claims;
using MeshStack.Identity;
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
        // The same token check as the gateway's, so a call that reaches order some other way meets the same rules.
        var jwtEnabled = builder.AddJwtAuthentication();
        // Read now, so a missing address stops the service at startup rather than failing its first order.
        var inventory = Downstream.Address(builder.Configuration, "Inventory");
        var payment = Downstream.Address(builder.Configuration, "Payment");
        // Typed clients made by a delegate: the default typed-client activator compiles an expression tree,
        // which loads System.Linq.Expressions and JIT-compiles its compiler (a few MB of resident memory).
        builder.Services.AddHttpClient(nameof(InventoryClient), http => http.BaseAddress = inventory)
            .AddTypedClient(http => new InventoryClient(http));
        builder.Services.AddHttpClient(nameof(PaymentClient), http => http.BaseAddress = payment)
            .AddTypedClient(http => new PaymentClient(http));
        builder.Services.AddOptions<SagaOptions>().BindConfiguration(SagaOptions.Section)
            .Validate(o => o.LeaseSeconds > 0 && o.DeadlineSeconds > 0 && o.RecoveryIntervalSeconds >= 0 && o.MaxRetryDelaySeconds > 0 && o.RecoveryBatch > 0,
                "Saga:LeaseSeconds, DeadlineSeconds, MaxRetryDelaySeconds and RecoveryBatch must be positive, RecoveryIntervalSeconds not negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTransient<OrderSaga>();
        builder.Services.AddTransient<PlaceOrder>();
        builder.Services.AddHostedService<OrderRecovery>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OrderJson.Default));

        var app = builder.Build();
        app.UseServiceDefaults();
        var orders = app.MapGroup("/orders");
        if (jwtEnabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            orders.RequireAuthorization(JwtAuthentication.SignedInPolicy);
        }

        // Newest first; ?customerId= narrows to one customer, ?limit= (1..200, default 50) caps the count.
        // A shopper sees only their own orders (OrderAccess); ?customerId= is then theirs or left out.
        orders.MapGet("", async Task<IResult> (string? customerId, string? limit, ClaimsPrincipal user, JwtSettings jwt, OrderStore store, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            var count = 50;
            if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > 200))
            {
                errors.Add("limit", "Must be a whole number between 1 and 200.");
            }

            if (customerId is not null && TextField.Check(customerId, CreateOrderRequest.MaxTextLength) is { } problem)
            {
                errors.Add("customerId", problem);
            }

            if (!errors.IsEmpty)
            {
                return errors.ToProblem();
            }

            var (scope, refusal) = OrderAccess.ListScope(Caller.From(user, jwt), customerId);
            return refusal ?? TypedResults.Ok(await store.ListAsync(scope, count, ct));
        });

        orders.MapGet("/{id}", async Task<IResult> (string id, ClaimsPrincipal user, JwtSettings jwt, OrderStore store, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out var orderId))
            {
                return new FieldErrors().Add("id", "Must be a UUID.").ToProblem();
            }

            return await store.GetAsync(orderId, ct) is { } order && OrderAccess.CanRead(Caller.From(user, jwt), order)
                ? TypedResults.Ok(order)
                : TypedResults.Problem(statusCode: 404, title: "Unknown order.", detail: $"No order has id '{id}'.");
        });

        // Reserves stock, charges, and records the order; see PlaceOrder for the outcomes and their status codes.
        orders.MapPost("", (CreateOrderRequest request, [FromHeader(Name = PlaceOrder.IdempotencyKeyHeader)] string? idempotencyKey,
            ClaimsPrincipal user, JwtSettings jwt, PlaceOrder placeOrder) =>
            // Not the request's CancellationToken: once stock is reserved the saga runs to its end (bounded by the
            // outgoing-call timeouts) even if the caller goes away, so nothing is left half done.
            placeOrder.ExecuteAsync(request, idempotencyKey, Caller.From(user, jwt)));

        return app;
    }
}
