using MeshStack.Identity;
using MeshStack.ServiceDefaults;

namespace MeshStack.ApiGateway;

public static class Program
{
    public static Task Main(string[] args) => Build(args).RunAsync();

    /// <summary>Builds the gateway; tests use <paramref name="configure"/> to host it on a loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceApplication.CreateBuilder("api-gateway", typeof(Program).Assembly, args, configure);
        var jwtEnabled = builder.AddJwtAuthentication();

        // The public API only (GatewayRoutes.Public), each operation to the service that serves it, at Downstream:*.
        builder.Services.AddReverseProxy().LoadFromMemory(
            GatewayRoutes.Routes(signedInPolicy: jwtEnabled ? JwtAuthentication.SignedInPolicy : null),
            GatewayRoutes.Clusters(builder.Configuration));

        var app = builder.Build();
        app.UseServiceDefaults();
        if (jwtEnabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapReverseProxy();
        return app;
    }
}
