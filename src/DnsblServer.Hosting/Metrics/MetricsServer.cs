using System.Net;
using System.Text;
using DnsblServer.Hosting.Http;
using DnsblServer.Serving.Resolving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Metrics;

/// <summary>
/// The HTTP listener on <c>Dnsbl:Metrics:Listen</c>: <c>/metrics</c> (Prometheus text format),
/// <c>/healthz</c> (200 while the process runs) and <c>/readyz</c> (<see cref="Readiness"/>: 200 when every zone is served,
/// 503 naming the zones that are not or a stalled load), on Kestrel with the limits of <see cref="HttpLimits"/>.
/// </summary>
internal sealed class MetricsServer : IHostedService, IAsyncDisposable, IDisposable
{
    private const string TextFormat = "text/plain; version=0.0.4; charset=utf-8";

    private readonly DnsblMetrics _metrics;
    private readonly QueryProcessor _processor;
    private readonly ILogger<MetricsServer> _logger;
    private readonly HttpServer _server;

    // one scrape at a time: the collect callbacks read shared counters and are not made for concurrency
    private readonly SemaphoreSlim _scrape = new(1, 1);

    private readonly Func<(string Dataset, DateTimeOffset Since, TimeSpan For)?> _stalled;

    // stalled: the running load when it is past Dnsbl:LoadTimeout, else null (ZoneLoading.Stalled)
    public MetricsServer(IPEndPoint endpoint, DnsblMetrics metrics, QueryProcessor processor, ILogger<MetricsServer> logger, IEnumerable<ILoggerProvider> logProviders,
        Func<(string Dataset, DateTimeOffset Since, TimeSpan For)?>? stalled = null)
    {
        _stalled = stalled ?? (() => null);
        _metrics = metrics;
        _processor = processor;
        _logger = logger;
        // no endpoint takes a body; 4 KiB leaves room for a client that sends one anyway
        var limits = new HttpLimits(HttpLimits.MetricsConnections(DescriptorLimit.Current()), MaxRequestBodySize: 4096);
        _server = new HttpServer(endpoint, limits, certificate: null, logProviders, HandleAsync);
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _server.StartAsync("metrics listener", cancellationToken).ConfigureAwait(false);
        Log.MetricsListening(_logger, _server.Url);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await WriteTextAsync(response, 405, "only GET and HEAD\n").ConfigureAwait(false);
            return;
        }
        try
        {
            switch (request.Path.Value)
            {
                case "/metrics":
                    await WriteMetricsAsync(response, context.RequestAborted).ConfigureAwait(false);
                    break;
                case "/healthz":
                    await WriteTextAsync(response, 200, "ok\n").ConfigureAwait(false);
                    break;
                case "/readyz":
                    var (status, body) = Readiness.Check(_processor.Zones, _stalled());
                    await WriteTextAsync(response, status, body).ConfigureAwait(false);
                    break;
                default:
                    await WriteTextAsync(response, 404, "not found: try /metrics, /healthz or /readyz\n").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            Log.MetricsRequestFailed(_logger, request.Path.Value ?? "", e.Message);
            if (!response.HasStarted) await WriteTextAsync(response, 500, "scrape failed\n").ConfigureAwait(false);
        }
    }

    private async Task WriteMetricsAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await _scrape.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _metrics.Registry.CollectAndExportAsTextAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _scrape.Release();
        }
        response.ContentType = TextFormat;
        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteTextAsync(HttpResponse response, int status, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _scrape.Dispose();
    }
}
