using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Admin;

/// <summary>The admin API's log events (ids 100-119).</summary>
internal static partial class AdminLog
{
    [LoggerMessage(200, LogLevel.Information, "admin API off: no token configured (set Dnsbl:Admin:Token, DNSBL__ADMIN__TOKEN or Dnsbl:Admin:TokenFile)")]
    public static partial void Off(ILogger logger);

    [LoggerMessage(201, LogLevel.Information, "admin API listening on {Prefix}")]
    public static partial void Listening(ILogger logger, string prefix);

    [LoggerMessage(203, LogLevel.Warning, "admin API: {Method} {Path} from {Client}: bad or missing token")]
    public static partial void Unauthorized(ILogger logger, string method, string path, string client);

    [LoggerMessage(204, LogLevel.Information, "admin API: {File} replaced ({Bytes} bytes)")]
    public static partial void FileReplaced(ILogger logger, string file, long bytes);

    [LoggerMessage(205, LogLevel.Information, "admin API: {Dataset}: {Change}")]
    public static partial void EntryChanged(ILogger logger, string dataset, string change);

    [LoggerMessage(209, LogLevel.Error, "admin API: {Method} {Path} failed: {Message}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, string message, Exception exception);
}
