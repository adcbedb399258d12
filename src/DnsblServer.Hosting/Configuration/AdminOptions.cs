namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// The <c>Dnsbl:Admin</c> configuration section (bound as <see cref="DnsblOptions.Admin"/>): where the admin HTTP
/// API listens and the bearer token it requires. Converted once into <see cref="AdminSettings"/>.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>Listen address, <c>ip:port</c> or <c>[ipv6]:port</c>.</summary>
    /// <remarks>Defaults to <c>127.0.0.1:8953</c> (loopback only).</remarks>
    public string Listen { get; set; } = AdminSettings.DefaultListen;

    /// <summary>The bearer token (also <c>DNSBL__ADMIN__TOKEN</c>).</summary>
    /// <remarks>Defaults to none: the API is off unless a token or token file is set.</remarks>
    public string? Token { get; set; }

    /// <summary>A file whose first line is the token (read at startup).</summary>
    /// <remarks>Defaults to none.</remarks>
    public string? TokenFile { get; set; }

    /// <summary>Directory for the journals of pushed entries.</summary>
    /// <remarks>Defaults to none: each journal sits beside its dataset's first file, as <c>FILE.journal</c>.</remarks>
    public string? StateDirectory { get; set; }

    /// <summary>Largest uploaded dataset file, in bytes.</summary>
    /// <remarks>Defaults to 256 MiB.</remarks>
    public long MaxUploadBytes { get; set; } = AdminSettings.DefaultMaxUploadBytes;

    /// <summary>Largest body of any other request, in bytes.</summary>
    /// <remarks>Defaults to 64 KiB.</remarks>
    public long MaxRequestBytes { get; set; } = AdminSettings.DefaultMaxRequestBytes;

    /// <summary>The immutable settings.</summary>
    internal AdminSettings ToSettings() => new()
    {
        Listen = string.IsNullOrWhiteSpace(Listen) ? AdminSettings.DefaultListen : Listen.Trim(),
        Token = Token,
        TokenFile = string.IsNullOrWhiteSpace(TokenFile) ? null : TokenFile,
        StateDirectory = string.IsNullOrWhiteSpace(StateDirectory) ? null : StateDirectory,
        MaxUploadBytes = MaxUploadBytes,
        MaxRequestBytes = MaxRequestBytes,
    };
}
