using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Http;
using DnsblServer.Hosting.Serve;
using DnsblServer.Serving.Resolving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// The admin HTTP API (issue 5 §3, pushed updates) on its own address, loopback by default:
/// status, reload, whole-file uploads and single-entry adds/removes, all behind a bearer token
/// compared in constant time. Off (logged once) when no token is configured. Kestrel with the
/// limits of <see cref="HttpLimits"/>, HTTPS when a certificate is configured;
/// <see cref="AdminSettings.Validate"/> has refused a short token and plain HTTP off loopback before this runs.
/// </summary>
internal sealed partial class AdminApi(AdminSettings options, ZoneLoading loading, QueryProcessor processor,
    ZoneReloadService reloader, ILogger<AdminApi> logger, IEnumerable<ILoggerProvider> logProviders) : IHostedService, IAsyncDisposable, IDisposable
{
    private byte[]? _tokenHash;
    private HttpServer? _server;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string? token = options.ResolveToken();
        if (token is null)
        {
            AdminLog.Off(logger);
            return;
        }
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        if (!options.TryGetEndpoint(out var endpoint)) throw new InvalidOperationException($"invalid Dnsbl:Admin:Listen '{options.Listen}'"); // Validate said so first
        var limits = new HttpLimits(HttpLimits.AdminConnections(DescriptorLimit.Current()), Math.Max(options.MaxUploadBytes, options.MaxRequestBytes));
        _server = new HttpServer(endpoint, limits, options.LoadCertificate(), logProviders, HandleAsync);
        await _server.StartAsync("admin API", cancellationToken).ConfigureAwait(false);
        AdminLog.Listening(logger, _server.Url);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string path = request.Path.Value ?? "/";
        try
        {
            if (!IsAuthorized(request.Headers.Authorization))
            {
                AdminLog.Unauthorized(logger, request.Method, path, context.Connection.RemoteIpAddress?.ToString() ?? "?");
                response.Headers.WWWAuthenticate = "Bearer";
                await WriteAsync(response, 401, new ErrorBody("missing or wrong bearer token")).ConfigureAwait(false);
                return;
            }
            // Kestrel stops a chunked body at this size (one with a Content-Length is checked before it is read)
            if (request.ContentLength is null && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            {
                bodyLimit.MaxRequestBodySize = path == "/v1/files" ? options.MaxUploadBytes : options.MaxRequestBytes;
            }
            var (status, body) = await RouteAsync(request, path).ConfigureAwait(false);
            if (status == 405) response.Headers.Allow = AllowedMethods(path);
            await WriteAsync(response, status, body).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // the body broke a limit or its framing while read: the client's fault, a 4xx (413, 408, 400)
            if (!response.HasStarted) await WriteAsync(response, e.StatusCode, new ErrorBody(e.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            AdminLog.RequestFailed(logger, request.Method, path, e.Message, e);
            if (!response.HasStarted) await WriteAsync(response, 500, new ErrorBody(e.Message)).ConfigureAwait(false);
        }
    }

    private Task<(int, object)> RouteAsync(HttpRequest request, string path) => (path, request.Method) switch
    {
        ("/v1/status", "GET") => Task.FromResult((200, (object)Status())),
        ("/v1/reload", "POST") => ReloadAsync(request.Query["acceptShrink"]),
        ("/v1/files", "PUT" or "POST") => UploadAsync(request),
        ("/v1/entries", "GET") => Task.FromResult(ListEntries(request.Query["file"], request.Query["dataset"])),
        ("/v1/entries", "POST" or "DELETE") => ChangeEntryAsync(request),
        ("/v1/keys", "GET") => Task.FromResult(ListKeys(request.Query["file"], request.Query["dataset"])),
        ("/v1/keys", "POST" or "DELETE") => ChangeKeyAsync(request),
        _ when AllowedMethods(path).Length > 0 => Task.FromResult((405, (object)new ErrorBody($"{request.Method} not allowed on {path}"))),
        _ => Task.FromResult((404, (object)new ErrorBody($"no such endpoint: {path}"))),
    };

    private static string AllowedMethods(string path) => path switch
    {
        "/v1/status" => "GET",
        "/v1/reload" => "POST",
        "/v1/files" => "PUT, POST",
        "/v1/entries" => "GET, POST, DELETE",
        "/v1/keys" => "GET, POST, DELETE",
        _ => "",
    };

    // Hashing both sides first makes the comparison take the same time whatever the lengths.
    private bool IsAuthorized(string? header)
    {
        const string scheme = "Bearer ";
        if (_tokenHash is null || header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _tokenHash);
    }

    private static async Task WriteAsync(HttpResponse response, int status, object body)
    {
        // byte[]: JSON written already (Utf8JsonWriter); anything else is a record in AdminJson.cs (AOT-safe)
        byte[] json = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), DnsblJsonContext.Admin);
        byte[] bytes = new byte[json.Length + 1];
        json.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = bytes.Length;
        // a body refused unread (no token, too large) is not drained, up to MaxUploadBytes of it: close instead
        if (status is 401 or 413) response.Headers.Connection = "close";
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false); // on the wire before Kestrel looks at what is left of the request
    }

    private static (int, object) Error(int status, string message, IReadOnlyList<UploadProblem>? details = null) =>
        (status, new ErrorBody(message, Details: details));

    /// <summary>
    /// A file or dataset name from a client: no control character (a NUL in a path made .NET throw, a 500),
    /// so a bad name is a 400 like any other bad request.
    /// </summary>
    private static bool IsBadName(string? name) => name is not null && name.Any(char.IsControl);

    /// <summary>Reads the body into <paramref name="destination"/>, at most <paramref name="limit"/> bytes; false when it is longer.</summary>
    private static async Task<bool> TryCopyBodyAsync(HttpRequest request, Stream destination, long limit)
    {
        if (request.ContentLength > limit) return false;
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > limit) return false;
            await destination.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
        }
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
