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
        var incoming = accessor.HttpContext?.Request.Headers[HeaderNames.Authorization].ToString();
        if (!string.IsNullOrEmpty(incoming) && request.Headers.Authorization is null)
            request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, incoming);
        return base.SendAsync(request, cancellationToken);
    }
}
