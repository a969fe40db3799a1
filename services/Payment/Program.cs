using MeshStack.ServiceDefaults;

namespace MeshStack.Payment;

public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>Builds the payment service; tests use <paramref name="configure"/> to host it on a loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceApplication.CreateBuilder("payment", typeof(Program).Assembly, args, configure);
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section)
            .Validate(o => o.FailureRate is >= 0 and <= 1, "Payment:FailureRate must be between 0 and 1.")
            .Validate(o => o.AddedLatencyMs >= 0, "Payment:AddedLatencyMs must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PaymentLedger>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PaymentJson.Default));

        var app = builder.Build();
        app.UseServiceDefaults();

        // Charges an order. Keyed by orderId: a repeated call answers with the first outcome, never a second charge.
        app.MapPost("/payments", async Task<IResult> (PaymentRequest request, PaymentLedger ledger, HttpContext http) =>
        {
            if (request.Validate() is { IsEmpty: false } errors)
            {
                return errors.ToProblem();
            }

            var (payment, replayed) = await ledger.ChargeAsync(request, http.RequestAborted);
            if (payment.Status == PaymentStatus.Declined)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status402PaymentRequired,
                    title: "Payment declined.",
                    detail: $"The charge for order {payment.OrderId} was declined.",
                    extensions: new Dictionary<string, object?> { ["payment"] = payment });
            }

            return replayed ? TypedResults.Ok(payment) : TypedResults.Created($"/payments/{payment.Id}", payment);
        });

        app.MapGet("/payments/{id}", IResult (string id, PaymentLedger ledger) =>
        {
            if (!Guid.TryParse(id, out var paymentId))
            {
                return new FieldErrors().Add("id", "Must be a UUID.").ToProblem();
            }

            return ledger.Find(paymentId) is { } payment
                ? TypedResults.Ok(payment)
                : TypedResults.Problem(statusCode: 404, title: "Unknown payment.", detail: $"No payment has id '{id}'.");
        });

        return app;
    }
}
