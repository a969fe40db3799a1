namespace MeshStack.Frontend;

/// <summary>
/// Passes the header that selects the canary (its name in <c>Canary:Header</c>, set by the stack when the canary has
/// one) from the request that rendered the page on to the gateway, so an internal user who reaches the frontend with
/// it lands on the canary for the whole call chain. The edge removes the header from internet requests, so only
/// callers inside the mesh can set it. Without the setting nothing is forwarded.
/// </summary>
public sealed class ForwardedCanaryHeader(IHttpContextAccessor accessor, IConfiguration configuration) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (configuration["Canary:Header"] is { Length: > 0 } name
            && accessor.HttpContext?.Request.Headers[name].ToString() is { Length: > 0 } value
            && !request.Headers.Contains(name))
            request.Headers.TryAddWithoutValidation(name, value);
        return base.SendAsync(request, cancellationToken);
    }
}
