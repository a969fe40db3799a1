using MeshStack.Topology;

namespace MeshStack.LocalRun;

/// <summary>
/// A service of the topology as this repository builds it. The project is named after the service by convention
/// (<c>api-gateway</c>: services/ApiGateway/MeshStack.ApiGateway.csproj), so the topology's list of services is the
/// only one: a service declared there without a project fails at start, naming the path it looked for.
/// </summary>
public sealed record ServiceInfo(AppService Service)
{
    public string Name => Service.Name;

    /// <summary>The folder under services/: the name in PascalCase.</summary>
    public string Folder => PascalName(Service.Name);

    public string Assembly => "MeshStack." + Folder;

    /// <summary>The service's build output next to this program's (same configuration and framework).</summary>
    public string DllPath(string repositoryRoot)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent?.Name ?? "Debug";
        return Path.Combine(repositoryRoot, "services", Folder, "bin", configuration, framework, Assembly + ".dll");
    }

    /// <summary><c>api-gateway</c> as <c>ApiGateway</c> (service names are [a-z0-9-]+, checked by the topology).</summary>
    public static string PascalName(string name) =>
        string.Concat(name.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
