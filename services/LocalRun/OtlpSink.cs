using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace MeshStack.LocalRun;

/// <summary>
/// A stand-in OTLP/gRPC collector on 127.0.0.1 (HTTP/2 without TLS): it accepts every export, answers
/// an empty success message, and counts exports and bytes per signal. Enough to see that the services
/// export and to measure what exporting costs, without a real collector.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (long Exports, long Bytes)> _received = new();

    private OtlpSink(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Exports and bytes received per gRPC method (TraceService, MetricsService, LogsService).</summary>
    public IReadOnlyDictionary<string, (long Exports, long Bytes)> Received => _received;

    public static async Task<OtlpSink> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.MapPost("/{**method}", async (HttpContext context, string method) =>
        {
            var buffer = new byte[16 * 1024];
            long bytes = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
            }

            sink._received.AddOrUpdate(method, (1, bytes), (_, total) => (total.Exports + 1, total.Bytes + bytes));
            context.Response.ContentType = "application/grpc";
            // One gRPC message frame: not compressed, zero length (an empty Export*ServiceResponse).
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await app.StartAsync();
        sink.Endpoint = new Uri(app.Urls.First());
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
