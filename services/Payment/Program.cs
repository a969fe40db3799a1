using MeshStack.Postgres;
using MeshStack.ServiceDefaults;

namespace MeshStack.Payment;

public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>Builds the payment service; tests use <paramref name="configure"/> to host it on a loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceApplication.CreateBuilder("payment", typeof(Program).Assembly, args, configure);
        builder.AddPostgres("payment", PaymentSchema.Migrations);
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section)
            .Validate(o => o.FailureRate is >= 0 and <= 1, "Payment:FailureRate must be between 0 and 1.")
            .Validate(o => o.AddedLatencyMs >= 0, "Payment:AddedLatencyMs must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PaymentLedger>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PaymentJson.Default));

        var app = builder.Build();
        app.UseServiceDefaults();

        // Charges an order. Keyed by orderId: a repeated call answers with the first outcome, never a second charge;
        // after a refund or void of the order, 409.
        app.MapPost("/payments", async Task<IResult> (PaymentRequest request, PaymentLedger ledger, HttpContext http) =>
        {
            if (request.Validate() is { IsEmpty: false } errors)
            {
                return errors.ToProblem();
            }

            return await ledger.ChargeAsync(request, http.RequestAborted) switch
            {
                ChargeOutcome.Charged { Payment.Status: PaymentStatus.Declined } declined => TypedResults.Problem(
                    statusCode: StatusCodes.Status402PaymentRequired,
                    title: "Payment declined.",
                    detail: $"The charge for order {declined.Payment.OrderId} was declined.",
                    extensions: new Dictionary<string, object?> { ["payment"] = declined.Payment }),
                ChargeOutcome.Charged { Replayed: true } replayed => TypedResults.Ok(replayed.Payment),
                ChargeOutcome.Charged charged => TypedResults.Created($"/payments/{charged.Payment.Id}", charged.Payment),
                ChargeOutcome.Cancelled cancelled => TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The order's payment was cancelled.",
                    detail: $"Order {cancelled.Payment.OrderId} was {cancelled.Payment.Status}; it is not charged again.",
                    extensions: new Dictionary<string, object?> { ["payment"] = cancelled.Payment }),
                var other => throw new InvalidOperationException($"Unhandled charge outcome {other}"),
            };
        });

        // Undoes an order's payment: a charge is refunded; with none yet, a void refuses any later charge. Idempotent.
        app.MapPost("/payments/refunds", async Task<IResult> (RefundRequest request, PaymentLedger ledger, CancellationToken ct) =>
            request.Validate() is { IsEmpty: false } errors
                ? errors.ToProblem()
                : TypedResults.Ok(await ledger.RefundAsync(request.OrderId!.Value, ct)));

        app.MapGet("/payments/{id}", async Task<IResult> (string id, PaymentLedger ledger, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out var paymentId))
            {
                return new FieldErrors().Add("id", "Must be a UUID.").ToProblem();
            }

            return await ledger.FindAsync(paymentId, ct) is { } payment
                ? TypedResults.Ok(payment)
                : TypedResults.Problem(statusCode: 404, title: "Unknown payment.", detail: $"No payment has id '{id}'.");
        });

        return app;
    }
}
