using System.Net;

namespace DnsblServer.Hosting.Configuration;

/// <summary>The admin HTTP API's part of <see cref="ServerSettings"/> (from <c>Dnsbl:Admin</c>, see <see cref="AdminOptions"/>).</summary>
public sealed record AdminSettings
{
    /// <summary>The default listen address: loopback only.</summary>
    public const string DefaultListen = "127.0.0.1:8953";

    /// <summary>The default upload limit: 256 MiB.</summary>
    public const long DefaultMaxUploadBytes = 256L << 20;

    /// <summary>The default limit on other request bodies: 64 KiB.</summary>
    public const long DefaultMaxRequestBytes = 64 << 10;

    /// <summary>Listen address, <c>ip:port</c> or <c>[ipv6]:port</c>; checked when the API starts (it stays off when wrong).</summary>
    /// <remarks>Defaults to <c>127.0.0.1:8953</c>.</remarks>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>The bearer token.</summary>
    /// <remarks>Defaults to none.</remarks>
    public string? Token { get; init; }

    /// <summary>A file whose first line is the token.</summary>
    /// <remarks>Defaults to none.</remarks>
    public string? TokenFile { get; init; }

    /// <summary>Directory for the journals of pushed entries.</summary>
    /// <remarks>Defaults to none: beside each dataset's first file.</remarks>
    public string? StateDirectory { get; init; }

    /// <summary>Largest uploaded dataset file, in bytes.</summary>
    /// <remarks>Defaults to 256 MiB.</remarks>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>Largest body of any other request, in bytes.</summary>
    /// <remarks>Defaults to 64 KiB.</remarks>
    public long MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

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
        prefixes = Internal.HttpListenerPrefixes.For(endpoint);
        return true;
    }
}
