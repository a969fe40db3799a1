using System.Reflection;
using Microsoft.AspNetCore.Builder;

namespace MeshStack.ServiceDefaults;

/// <summary>How every service's host starts, so each Program.cs goes straight to its own API.</summary>
public static class ServiceApplication
{
    /// <summary>
    /// A slim host named after the service's assembly (not the entry assembly, which is the test runner when tests host
    /// it), then <paramref name="configure"/> (tests: loopback port, settings), then the shared defaults, which read
    /// the configuration that <paramref name="configure"/> may have added.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string serviceName, Assembly service, string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = service.GetName().Name,
        });
        configure?.Invoke(builder);
        builder.AddServiceDefaults(serviceName);
        return builder;
    }
}
