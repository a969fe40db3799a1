using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MeshStack.Services.Tests;

/// <summary>
/// An operation a service's app maps: a method (<c>*</c> when the endpoint takes any) and its route template with
/// each parameter as <c>{name}</c> (<c>{**name}</c> for a catch-all).
/// </summary>
public sealed record MappedEndpoint(string Method, string Template)
{
    /// <summary>One entry per method the endpoint accepts.</summary>
    public static IEnumerable<MappedEndpoint> Of(RouteEndpoint endpoint)
    {
        var template = TemplateOf(endpoint.RoutePattern);
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
        return methods.Count == 0 ? [new MappedEndpoint("*", template)] : methods.Select(m => new MappedEndpoint(m, template));
    }

    private static string TemplateOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => "{**" + parameter.Name + "}",
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new NotSupportedException($"route pattern part {part.GetType().Name} in '{pattern.RawText}'"),
        }))));

    public override string ToString() => $"{Method} {Template}";
}
