using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MeshStack.ServiceDefaults;

/// <summary>
/// Keeps one x-request-id per request: takes the caller's (the mesh's edge usually sets it), or makes one,
/// echoes it in the response, tags the server span and log scope with it, and puts it back on the request
/// so that a reverse proxy forwards it and <see cref="RequestIdHandler"/> sends it on every outgoing call.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "x-request-id";
    public const string SpanTag = "http.request.header.x-request-id";
    private static readonly object ItemKey = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName].ToString();
        var requestId = IsUsable(incoming) ? incoming : Guid.NewGuid().ToString("N");

        context.Items[ItemKey] = requestId;
        context.Request.Headers[HeaderName] = requestId;
        // Set when the response starts, so it replaces the copy a proxied upstream response brings along.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag(SpanTag, requestId);

        using (logger.BeginScope(new KeyValuePair<string, object>[] { new("RequestId", requestId) }))
        {
            await next(context);
        }
    }

    public static string? Get(HttpContext? context) =>
        context?.Items.TryGetValue(ItemKey, out var value) == true ? value as string : null;

    // A header value we pass on unchanged must be short and printable; anything else is replaced.
    private static bool IsUsable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is > ' ' and < (char)127);
}

/// <summary>Adds the current request's x-request-id to outgoing HttpClient calls.</summary>
public sealed class RequestIdHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RequestIdMiddleware.Get(accessor.HttpContext) is { } requestId
            && !request.Headers.Contains(RequestIdMiddleware.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(RequestIdMiddleware.HeaderName, requestId);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
