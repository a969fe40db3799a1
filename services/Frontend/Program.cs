using MeshStack.Frontend.Components;
using MeshStack.ServiceDefaults;

namespace MeshStack.Frontend;

public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>Builds the frontend; tests use <paramref name="configure"/> to host it on a loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceApplication.CreateBuilder("frontend", typeof(Program).Assembly, args, configure);
        // Static server-side rendering only: plain HTML and form posts, no WebAssembly and no circuit.
        builder.Services.AddRazorComponents();
        var gateway = Downstream.Address(builder.Configuration, "ApiGateway");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardedAuthorization>();
        builder.Services.AddTransient<ForwardedCanaryHeader>();
        // Made by a delegate rather than the default typed-client activator, which compiles an expression tree.
        builder.Services.AddHttpClient(nameof(GatewayClient), http => http.BaseAddress = gateway)
            .AddHttpMessageHandler<ForwardedAuthorization>()
            .AddHttpMessageHandler<ForwardedCanaryHeader>()
            .AddTypedClient((http, services) => new GatewayClient(http, services.GetRequiredService<ILogger<GatewayClient>>()));

        var app = builder.Build();
        app.UseServiceDefaults();
        app.UseAntiforgery();

        // GET / lists products and recent orders; POST / (form "place-order") places an order through the gateway.
        app.MapRazorComponents<App>();
        return app;
    }
}
