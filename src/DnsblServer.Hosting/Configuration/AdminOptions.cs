using System.Net;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// The <c>Dnsbl:Admin</c> configuration section: where the admin HTTP API listens and the bearer
/// token it requires. Without a token the API stays off.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dnsbl:Admin";

    /// <summary>Listen address, <c>ip:port</c> or <c>[ipv6]:port</c>. Defaults to <c>127.0.0.1:8953</c> (loopback only).</summary>
    public string Listen { get; set; } = "127.0.0.1:8953";

    /// <summary>The bearer token (also <c>DNSBL__ADMIN__TOKEN</c>). Defaults to none: the API is off unless a token or token file is set.</summary>
    public string? Token { get; set; }

    /// <summary>A file whose first line is the token (read at startup). Defaults to none.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Directory for the journals of pushed entries. Defaults to none: each journal sits beside its dataset's first file, as <c>FILE.journal</c>.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Largest uploaded dataset file, in bytes. Defaults to 256 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 256L << 20;

    /// <summary>Largest body of any other request, in bytes. Defaults to 64 KiB.</summary>
    public long MaxRequestBytes { get; set; } = 64 << 10;

    /// <summary>Binds the section.</summary>
    public static AdminOptions Bind(IConfiguration configuration)
    {
        var options = new AdminOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }

    /// <summary>The token from <see cref="Token"/> or <see cref="TokenFile"/>; null when neither gives one.</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token)) return Token.Trim();
        if (string.IsNullOrWhiteSpace(TokenFile)) return null;
        string? line = File.ReadLines(TokenFile).FirstOrDefault()?.Trim();
        return string.IsNullOrEmpty(line) ? null : line;
    }

    /// <summary>The HttpListener prefixes for <see cref="Listen"/>; false when the address is not <c>ip:port</c>.</summary>
    public bool TryGetPrefixes(out IReadOnlyList<string> prefixes)
    {
        prefixes = [];
        if (!IPEndPoint.TryParse(Listen, out var endpoint) || endpoint.Port == 0) return false;
        prefixes = Configuration.Internal.HttpListenerPrefixes.For(endpoint);
        return true;
    }
}
