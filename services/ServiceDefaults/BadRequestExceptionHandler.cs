using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MeshStack.ServiceDefaults;

/// <summary>
/// Turns request-binding failures into 400 (or 415/413) ProblemDetails whose <c>errors</c> name the field:
/// malformed JSON or a value of the wrong type names the JSON path where reading stopped (e.g. <c>items[0].quantity</c>).
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var errors = new Dictionary<string, string[]>();
        if (FindJsonException(exception) is { } json)
        {
            errors[FieldName(json.Path)] = ["The value is malformed JSON or has the wrong type."];
        }
        else if (badRequest.StatusCode == StatusCodes.Status400BadRequest)
        {
            errors["body"] = ["A JSON body is required."];
        }
        else if (badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            errors["body"] = [$"At most {httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes."];
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(errors)
            {
                Status = badRequest.StatusCode,
                Title = "The request is invalid.",
            },
        });
    }

    private static JsonException? FindJsonException(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    // "$.items[0].quantity" -> "items[0].quantity"; the document itself -> "body".
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
