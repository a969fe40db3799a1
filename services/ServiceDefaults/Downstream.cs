using Microsoft.Extensions.Configuration;

namespace MeshStack.ServiceDefaults;

/// <summary>Addresses of the services this one calls: configuration section <c>Downstream</c> (env <c>Downstream__Order</c>, ...).</summary>
public static class Downstream
{
    /// <summary>The absolute base URL of <paramref name="name"/>; a missing or relative one stops the service at startup.</summary>
    public static Uri Address(IConfiguration configuration, string name) =>
        Uri.TryCreate(configuration[$"Downstream:{name}"], UriKind.Absolute, out var address)
            ? address
            : throw new InvalidOperationException($"Downstream:{name} must be an absolute URL (env Downstream__{name}).");
}
