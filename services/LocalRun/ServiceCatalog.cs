namespace MeshStack.LocalRun;

/// <summary>One of the five services: its Kubernetes name, its folder under services/, and its assembly.</summary>
public sealed record ServiceInfo(string Name, string Folder, string Assembly)
{
    /// <summary>The service's build output next to this program's (same configuration and framework).</summary>
    public string DllPath(string repositoryRoot)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent?.Name ?? "Debug";
        return Path.Combine(repositoryRoot, "services", Folder, "bin", configuration, framework, Assembly + ".dll");
    }
}

public static class ServiceCatalog
{
    public static readonly ServiceInfo Inventory = new("inventory", "Inventory", "MeshStack.Inventory");
    public static readonly ServiceInfo Payment = new("payment", "Payment", "MeshStack.Payment");
    public static readonly ServiceInfo Order = new("order", "Order", "MeshStack.Order");
    public static readonly ServiceInfo ApiGateway = new("api-gateway", "ApiGateway", "MeshStack.ApiGateway");
    public static readonly ServiceInfo Frontend = new("frontend", "Frontend", "MeshStack.Frontend");

    /// <summary>In start order: each one's dependencies come before it.</summary>
    public static readonly IReadOnlyList<ServiceInfo> All = [Inventory, Payment, Order, ApiGateway, Frontend];

    /// <summary>The folder holding MeshStack.sln, found upwards from this program.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MeshStack.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MeshStack.sln not found above " + AppContext.BaseDirectory);
    }
}
