using System.Reflection;
using MeshStack.LocalRun;
using MeshStack.Topology;
using Microsoft.AspNetCore.Builder;

namespace MeshStack.Services.Tests;

/// <summary>
/// The <c>Program.Build(args, configure)</c> of a topology service's project, found by the repository's naming
/// convention (<see cref="ServiceInfo"/>: <c>api-gateway</c> is MeshStack.ApiGateway), so the tests host whatever the
/// topology declares without a list of their own.
/// </summary>
public static class ServiceEntryPoint
{
    public static Func<string[], Action<WebApplicationBuilder>, WebApplication> For(AppService service)
    {
        var info = new ServiceInfo(service);
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(info.Assembly));
        }
        catch (FileNotFoundException)
        {
            throw new InvalidOperationException(
                $"the topology declares '{service.Name}' but the tests do not reference services/{info.Folder}/{info.Assembly}.csproj");
        }

        var program = $"{info.Assembly}.Program";
        var build = assembly.GetType(program)?.GetMethod("Build", BindingFlags.Public | BindingFlags.Static, [typeof(string[]), typeof(Action<WebApplicationBuilder>)])
            ?? throw new InvalidOperationException($"{program} has no public static Build(string[], Action<WebApplicationBuilder>?)");
        return build.CreateDelegate<Func<string[], Action<WebApplicationBuilder>, WebApplication>>();
    }
}
