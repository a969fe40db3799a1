using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MeshStack.Postgres;

/// <summary>A database that cannot be reached is a 503 (retry later), not a 500.</summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not NpgsqlException { IsTransient: true })
        {
            return false;
        }

        logger.LogWarning("{Method} {Path} answered 503: the database is unavailable ({Reason}). Trace {TraceId}",
            httpContext.Request.Method, httpContext.Request.Path.Value, exception.Message, Activity.Current?.TraceId.ToString() ?? "none");
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is unavailable." },
        });
    }
}
