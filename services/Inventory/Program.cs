using MeshStack.Postgres;
using MeshStack.ServiceDefaults;

namespace MeshStack.Inventory;

public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>Builds the inventory service; tests use <paramref name="configure"/> to host it on a loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceApplication.CreateBuilder("inventory", typeof(Program).Assembly, args, configure);
        builder.AddPostgres("inventory", InventorySchema.Migrations);
        builder.Services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.Section)
            .Validate(o => o.ReservationTtlSeconds > 0, "Inventory:ReservationTtlSeconds must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<InventoryStore>();
        builder.Services.AddHostedService<ReservationExpiry>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, InventoryJson.Default));

        var app = builder.Build();
        app.UseServiceDefaults();

        // Products with their current stock.
        app.MapGet("/inventory", async (InventoryStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.ListAsync(ct)));

        app.MapGet("/inventory/{sku}", async Task<IResult> (string sku, InventoryStore store, CancellationToken ct) =>
        {
            if (TextField.Check(sku, ReservationRequest.MaxSkuLength) is { } problem)
            {
                return new FieldErrors().Add("sku", problem).ToProblem();
            }

            return await store.GetAsync(sku, ct) is { } product
                ? TypedResults.Ok(product)
                : TypedResults.Problem(statusCode: 404, title: "Unknown SKU.", detail: $"No product has SKU '{sku}'.");
        });

        // Takes stock for one order. Keyed by orderId: repeating the call returns the same reservation (200).
        app.MapPost("/inventory/reservations", async Task<IResult> (ReservationRequest request, InventoryStore store, CancellationToken ct) =>
        {
            if (request.Validate() is { IsEmpty: false } errors)
            {
                return errors.ToProblem();
            }

            return await store.ReserveAsync(request, ct) switch
            {
                ReserveOutcome.Reserved { Replayed: false } r => TypedResults.Created($"/inventory/reservations/{r.Reservation.Id}", r.Reservation),
                ReserveOutcome.Reserved r => TypedResults.Ok(r.Reservation),
                ReserveOutcome.Invalid invalid => invalid.Errors.ToProblem(),
                ReserveOutcome.Short s => TypedResults.Problem(
                    statusCode: 409,
                    title: "Not enough stock.",
                    detail: string.Join("; ", s.Shortages.Select(x => $"{x.Sku}: requested {x.Requested}, available {x.Available}")),
                    extensions: new Dictionary<string, object?> { ["shortages"] = s.Shortages }),
                var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
            };
        });

        // Gives the stock back. Idempotent: releasing a released (or expired) reservation answers 200 again with its
        // status; a committed one (its order is confirmed) cannot be released: 409.
        app.MapPost("/inventory/reservations/{id}/release", (string id, InventoryStore store, CancellationToken ct) =>
            SettleAsync(id, ReservationStatus.Released, store, ct));

        // Makes a held reservation permanent once its order is paid for. Idempotent; one that was released or has
        // expired cannot be committed: 409 (order then gives the payment back).
        app.MapPost("/inventory/reservations/{id}/commit", (string id, InventoryStore store, CancellationToken ct) =>
            SettleAsync(id, ReservationStatus.Committed, store, ct));

        return app;
    }

    private static async Task<IResult> SettleAsync(string id, string target, InventoryStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var reservationId))
        {
            return new FieldErrors().Add("id", "Must be a UUID.").ToProblem();
        }

        return await store.SettleAsync(reservationId, target, ct) switch
        {
            null => TypedResults.Problem(statusCode: 404, title: "Unknown reservation.", detail: $"No reservation has id '{id}'."),
            var settled when settled.Status == target || (target == ReservationStatus.Released && settled.Status == ReservationStatus.Expired)
                => TypedResults.Ok(settled),
            var settled => TypedResults.Problem(statusCode: 409, title: $"The reservation is {settled.Status}.",
                detail: $"Reservation {settled.Id} of order {settled.OrderId} is {settled.Status} and cannot be {target} now.",
                extensions: new Dictionary<string, object?> { ["reservationStatus"] = settled.Status }),
        };
    }
}
