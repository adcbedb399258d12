using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Http;

/// <summary>
/// Kestrel on one address, serving one <see cref="RequestDelegate"/> (no routing, no MVC), with the
/// limits of <see cref="HttpLimits"/>. Kestrel parses HTTP/1.1 strictly (one response per request,
/// pipelining, a Host header required, Content-Length with chunked refused or closed), times idle
/// clients out and keeps accepting when a connection cannot be opened, which HttpListener did not.
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <param name="endpoint">The address; <c>[::]</c> takes IPv4 too (Kestrel binds it dual-stack).</param>
    /// <param name="limits">The connection cap and body size.</param>
    /// <param name="certificate">HTTPS with this certificate; null for plain HTTP.</param>
    /// <param name="logProviders">The host's log providers: Kestrel's own warnings go to the same log.</param>
    /// <param name="handler">Every request.</param>
    public HttpServer(IPEndPoint endpoint, HttpLimits limits, X509Certificate2? certificate, IEnumerable<ILoggerProvider> logProviders, RequestDelegate handler)
    {
        Url = $"{(certificate is null ? "http" : "https")}://{endpoint}/";
        // the empty builder reads no appsettings.json, ASPNETCORE_* variable or argument: only what is set here
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddLogging(log =>
        {
            log.SetMinimumLevel(LogLevel.Information);
            log.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            log.AddFilter("Microsoft.Hosting", LogLevel.Warning); // "Now listening", "Application started": our own line says it once
            // one warning per connection refused at the cap would let a flood flood the log too
            log.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error);
        });
        foreach (var provider in logProviders) builder.Services.AddSingleton(provider); // not disposed by this app: the host owns them
        builder.WebHost.UseKestrelCore();
        // registered last, so Kestrel binds with it: the socket transport, capped at the accept (ConnectionCap.cs)
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>(services => new ConnectionCap(
            new Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportFactory(
                services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>>(),
                services.GetRequiredService<ILoggerFactory>()),
            (int)Math.Min(limits.MaxConnections, int.MaxValue)));
        if (certificate is not null) builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var l = kestrel.Limits;
            l.MaxConcurrentConnections = limits.MaxConnections;
            l.MaxRequestBodySize = limits.MaxRequestBodySize;
            l.KeepAliveTimeout = HttpLimits.KeepAliveTimeout;
            l.RequestHeadersTimeout = HttpLimits.RequestHeadersTimeout;
            l.MinRequestBodyDataRate = new MinDataRate(HttpLimits.MinBodyBytesPerSecond, HttpLimits.MinDataRateGracePeriod);
            l.MinResponseDataRate = new MinDataRate(HttpLimits.MinBodyBytesPerSecond, HttpLimits.MinDataRateGracePeriod);
            l.MaxRequestHeaderCount = HttpLimits.MaxRequestHeaderCount;
            l.MaxRequestHeadersTotalSize = HttpLimits.MaxRequestHeadersTotalSize;
            l.MaxRequestBufferSize = HttpLimits.MaxRequestBufferSize;
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1; // curl, scripts and Prometheus speak HTTP/1.1; one protocol, one set of limits
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        _app = builder.Build();
        _app.Run(context => RefuseAmbiguousBody(context) ?? handler(context));
    }

    /// <summary>
    /// Content-Length together with Transfer-Encoding is how request smuggling starts (RFC 9112 §6.1);
    /// Kestrel would read the body as chunked and close the connection after, this refuses it outright.
    /// </summary>
    private static Task? RefuseAmbiguousBody(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.TransferEncoding.Count == 0 || (headers.ContentLength is null && !headers.ContainsKey("X-Content-Length"))) return null;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers.Connection = "close";
        return context.Response.WriteAsync("Content-Length and Transfer-Encoding together\n");
    }

    /// <summary>The address as a URL, for the log.</summary>
    public string Url { get; }

    /// <summary>Binds and starts serving; an <see cref="InvalidOperationException"/> naming <paramref name="what"/> when the address cannot be bound.</summary>
    public async Task StartAsync(string what, CancellationToken cancellationToken)
    {
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"Cannot bind the {what} to {Url}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <summary>Stops accepting and lets requests in progress finish (until <paramref name="cancellationToken"/>).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
