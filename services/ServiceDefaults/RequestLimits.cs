using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MeshStack.ServiceDefaults;

/// <summary>
/// Bounds on what one request may make a service hold, section <c>Limits</c>. Kestrel's default body limit (30 MB)
/// let a single body drive a 256 Mi pod out of memory while it was read and parsed; every API body here is a few KB.
/// </summary>
public static class RequestLimits
{
    public const string Section = "Limits";

    /// <summary>Default largest request body, in bytes (a 50-item order is about 3 KB).</summary>
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    public static long MaxRequestBodyBytes(IConfiguration configuration) =>
        configuration.GetValue($"{Section}:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);

    public static TBuilder AddRequestLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var maxBody = MaxRequestBodyBytes(builder.Configuration);
        // A larger body is refused as 413 ProblemDetails (BadRequestExceptionHandler) before it is buffered.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);
        // Numbers are numbers: the web defaults would also read "2" as 2, so a quantity sent as a string got through.
        builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return builder;
    }
}
