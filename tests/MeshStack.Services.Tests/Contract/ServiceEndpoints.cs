using MeshStack.LocalRun;
using MeshStack.Topology;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace MeshStack.Services.Tests;

/// <summary>The endpoints a service's real app maps, read from its endpoint data sources.</summary>
public static class ServiceEndpoints
{
    /// <summary>
    /// Builds the service's app with its own <c>Program.Build</c>, wired from the topology (addresses and database
    /// nobody listens on: it is never started), and lists every route endpoint of its data sources.
    /// </summary>
    public static async Task<IReadOnlyList<MappedEndpoint>> OfAsync(AppService service)
    {
        var unreachable = new Uri("http://127.0.0.1:1");
        var settings = TestStack.Wired(service.Name, _ => unreachable, new DatabaseAccess("127.0.0.1", 1, "unused", "unused", "unused"));
        await using var app = ServiceEntryPoint.For(service)(["--urls", "http://127.0.0.1:0"],
            builder => builder.Configuration.AddInMemoryCollection(settings));
        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(MappedEndpoint.Of)
            .Distinct()
            .ToList();
    }
}
