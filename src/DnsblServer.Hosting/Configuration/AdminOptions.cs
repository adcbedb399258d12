namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// The <c>Dnsbl:Admin</c> configuration section (bound as <see cref="DnsblOptions.Admin"/>): where the admin HTTP
/// API listens and the bearer token it requires. Converted once into <see cref="AdminSettings"/>.
/// </summary>
public sealed class AdminOptions : IOptionsSection
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

    /// <summary>HTTPS: the server certificate, PEM or PKCS#12 (see <see cref="AdminSettings.CertificateFile"/>).</summary>
    /// <remarks>Defaults to none: plain HTTP, on a loopback address only unless <see cref="AllowInsecureRemote"/>.</remarks>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>.</summary>
    /// <remarks>Defaults to none: the key is in the certificate file.</remarks>
    public string? CertificateKeyFile { get; set; }

    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key.</summary>
    /// <remarks>Defaults to none.</remarks>
    public string? CertificatePassword { get; set; }

    /// <summary>Serve plain HTTP on a non-loopback address (the token then crosses the network in clear text).</summary>
    /// <remarks>Defaults to false: such an address without a certificate is a startup error.</remarks>
    public bool AllowInsecureRemote { get; set; }

    /// <summary>The immutable settings.</summary>
    internal AdminSettings ToSettings() => new()
    {
        Listen = string.IsNullOrWhiteSpace(Listen) ? AdminSettings.DefaultListen : Listen.Trim(),
        Token = Token,
        TokenFile = string.IsNullOrWhiteSpace(TokenFile) ? null : TokenFile,
        StateDirectory = string.IsNullOrWhiteSpace(StateDirectory) ? null : StateDirectory,
        MaxUploadBytes = MaxUploadBytes,
        MaxRequestBytes = MaxRequestBytes,
        CertificateFile = string.IsNullOrWhiteSpace(CertificateFile) ? null : CertificateFile,
        CertificateKeyFile = string.IsNullOrWhiteSpace(CertificateKeyFile) ? null : CertificateKeyFile,
        CertificatePassword = CertificatePassword,
        AllowInsecureRemote = AllowInsecureRemote,
    };
}
