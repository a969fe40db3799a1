using Microsoft.Net.Http.Headers;

namespace MeshStack.Frontend;

/// <summary>
/// Passes the shopper's bearer token on to the gateway. When the stack checks JWTs (at the edge and at the api-gateway),
/// the frontend calls the gateway inside the mesh with no token of its own: only the user's token can authorize the
/// order, so it travels with the call it caused (the canary header has its own handler, ForwardedCanaryHeader).
/// </summary>
public sealed class ForwardedAuthorization(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var incoming = Of(accessor.HttpContext);
        if (incoming is not null && request.Headers.Authorization is null)
            request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, incoming);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The shopper's Authorization header, or null when the request carries none (not signed in).</summary>
    public static string? Of(HttpContext? context) =>
        context?.Request.Headers[HeaderNames.Authorization].ToString() is { Length: > 0 } value ? value : null;
}
