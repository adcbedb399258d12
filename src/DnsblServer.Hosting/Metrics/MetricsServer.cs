using System.Net;
using System.Text;
using DnsblServer.Hosting.Configuration.Internal;
using DnsblServer.Serving.Resolving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Metrics;

/// <summary>
/// The HTTP listener on <c>Dnsbl:Metrics:Listen</c>: <c>/metrics</c> (Prometheus text format),
/// <c>/healthz</c> (200 while the process runs) and <c>/readyz</c> (200 when every zone is served,
/// 503 naming the zones that are not). <see cref="HttpListener"/> is enough for a scrape every few
/// seconds and needs no web framework.
/// </summary>
internal sealed class MetricsServer(IPEndPoint endpoint, DnsblMetrics metrics, QueryProcessor processor, ILogger<MetricsServer> logger) : BackgroundService
{
    private readonly HttpListener _listener = new();

    private readonly IReadOnlyList<string> _prefixes = HttpListenerPrefixes.For(endpoint);

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string prefix in _prefixes) _listener.Prefixes.Add(prefix);
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new InvalidOperationException($"Cannot bind the metrics listener {_prefixes[0]}: {e.Message}", e);
        }
        Log.MetricsListening(logger, _prefixes[0]);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listener.Stop(); // ends the pending GetContextAsync
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener.Close();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }
            // one request at a time: scrapes are rare, and the callbacks are not made for concurrency
            await HandleAsync(context, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    using (var buffer = new MemoryStream())
                    {
                        await metrics.Registry.CollectAndExportAsTextAsync(buffer, cancellationToken).ConfigureAwait(false);
                        response.ContentLength64 = buffer.Length;
                        buffer.Position = 0;
                        await buffer.CopyToAsync(response.OutputStream, cancellationToken).ConfigureAwait(false);
                    }
                    break;
                case "/healthz":
                    await WriteTextAsync(response, 200, "ok\n").ConfigureAwait(false);
                    break;
                case "/readyz":
                    var unserved = ZoneHealth.Unserved(processor.Zones);
                    await (unserved.Count == 0
                        ? WriteTextAsync(response, 200, "ready\n")
                        : WriteTextAsync(response, 503, "not ready: " + string.Join(' ', unserved) + "\n")).ConfigureAwait(false);
                    break;
                default:
                    await WriteTextAsync(response, 404, "not found: try /metrics, /healthz or /readyz\n").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.MetricsRequestFailed(logger, context.Request.Url?.AbsolutePath ?? "", e.Message);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception)
            {
                // the client went away
            }
        }
    }

    private static async Task WriteTextAsync(HttpListenerResponse response, int status, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        ((IDisposable)_listener).Dispose();
        base.Dispose();
    }
}
