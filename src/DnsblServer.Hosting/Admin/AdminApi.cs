using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Serve;
using DnsblServer.Serving.Resolving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// The admin HTTP API (issue 5 §3, pushed updates) on its own address, loopback by default:
/// status, reload, whole-file uploads and single-entry adds/removes, all behind a bearer token
/// compared in constant time. Off (logged once) when no token is configured.
/// HttpListener rather than Kestrel: it is in the base library, and this API serves a few
/// requests a minute, never the query path.
/// </summary>
internal sealed partial class AdminApi(AdminSettings options, ZoneLoading loading, QueryProcessor processor,
    ZoneReloadService reloader, ILogger<AdminApi> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // JSON for curl and scripts, never embedded in HTML
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private byte[]? _tokenHash;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? token;
        try
        {
            token = options.ResolveToken();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AdminLog.NotStarted(logger, $"token file {options.TokenFile}: {e.Message}");
            return;
        }
        _tokenHash = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        if (_tokenHash is null)
        {
            AdminLog.Off(logger);
            return;
        }
        if (!options.TryGetPrefixes(out var prefixes))
        {
            AdminLog.NotStarted(logger, $"invalid Dnsbl:Admin:Listen '{options.Listen}' (expected ip:port)");
            return;
        }
        using var listener = new HttpListener();
        foreach (string p in prefixes) listener.Prefixes.Add(p);
        string prefix = prefixes[0];
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            AdminLog.NotStarted(logger, $"{prefix}: {e.Message}");
            return;
        }
        AdminLog.Listening(logger, prefix);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }
            _ = Task.Run(() => HandleAsync(context), CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string path = request.Url?.AbsolutePath ?? "/";
        try
        {
            if (!IsAuthorized(request.Headers["Authorization"]))
            {
                AdminLog.Unauthorized(logger, request.HttpMethod, path, request.RemoteEndPoint?.ToString() ?? "?");
                response.AddHeader("WWW-Authenticate", "Bearer");
                await WriteAsync(response, 401, new { error = "missing or wrong bearer token" }).ConfigureAwait(false);
                return;
            }
            var (status, body) = await RouteAsync(request, path).ConfigureAwait(false);
            if (status == 405) response.AddHeader("Allow", AllowedMethods(path));
            await WriteAsync(response, status, body).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            AdminLog.RequestFailed(logger, request.HttpMethod, path, e.Message, e);
            try
            {
                await WriteAsync(response, 500, new { error = e.Message }).ConfigureAwait(false);
            }
            catch (Exception) when (e is not OutOfMemoryException)
            {
                // the client went away
            }
        }
    }

    private Task<(int, object)> RouteAsync(HttpListenerRequest request, string path) => (path, request.HttpMethod) switch
    {
        ("/v1/status", "GET") => Task.FromResult((200, Status())),
        ("/v1/reload", "POST") => ReloadAsync(),
        ("/v1/files", "PUT" or "POST") => UploadAsync(request),
        ("/v1/entries", "GET") => Task.FromResult(ListEntries(request.QueryString["file"], request.QueryString["dataset"])),
        ("/v1/entries", "POST" or "DELETE") => ChangeEntryAsync(request),
        _ when AllowedMethods(path).Length > 0 => Task.FromResult((405, (object)new { error = $"{request.HttpMethod} not allowed on {path}" })),
        _ => Task.FromResult((404, (object)new { error = $"no such endpoint: {path}" })),
    };

    private static string AllowedMethods(string path) => path switch
    {
        "/v1/status" => "GET",
        "/v1/reload" => "POST",
        "/v1/files" => "PUT, POST",
        "/v1/entries" => "GET, POST, DELETE",
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

    private static async Task WriteAsync(HttpListenerResponse response, int status, object body)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = bytes.Length + 1;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.OutputStream.WriteByte((byte)'\n');
        response.Close();
    }

    private static (int, object) Error(int status, string message, object? details = null) =>
        (status, details is null ? new { error = message } : new { error = message, details });

    /// <summary>Reads the body into <paramref name="destination"/>, at most <paramref name="limit"/> bytes; false when it is longer.</summary>
    private static async Task<bool> TryCopyBodyAsync(HttpListenerRequest request, Stream destination, long limit)
    {
        if (request.ContentLength64 > limit) return false;
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.InputStream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > limit) return false;
            await destination.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
        }
        return true;
    }
}
