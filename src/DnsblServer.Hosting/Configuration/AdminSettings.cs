using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

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

    /// <summary>Listen address, <c>ip:port</c> or <c>[ipv6]:port</c>; checked at startup by <see cref="Validate"/>.</summary>
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

    /// <summary>
    /// HTTPS: the server certificate, PEM (with <see cref="CertificateKeyFile"/>, or the key in the same file)
    /// or PKCS#12 (<c>.pfx</c>/<c>.p12</c>, with <see cref="CertificatePassword"/>).
    /// </summary>
    /// <remarks>Defaults to none: plain HTTP, allowed on a loopback address only unless <see cref="AllowInsecureRemote"/> is set.</remarks>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>.</summary>
    /// <remarks>Defaults to none: the key is in the certificate file.</remarks>
    public string? CertificateKeyFile { get; init; }

    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key.</summary>
    /// <remarks>Defaults to none.</remarks>
    public string? CertificatePassword { get; init; }

    /// <summary>Serve plain HTTP on a non-loopback address (the token then crosses the network in clear text).</summary>
    /// <remarks>Defaults to false: such an address without a certificate is a startup error.</remarks>
    public bool AllowInsecureRemote { get; init; }

    /// <summary>Shortest token accepted: 16 characters (e.g. <c>openssl rand -hex 16</c> gives 32).</summary>
    public const int MinTokenLength = 16;

    /// <summary>The address of <see cref="Listen"/>; false when it is not <c>ip:port</c> or <c>[ipv6]:port</c> with a port.</summary>
    public bool TryGetEndpoint(out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPEndPoint.TryParse(Listen, out var parsed) || parsed.Port == 0) return false;
        endpoint = parsed;
        return true;
    }

    /// <summary>
    /// Why the API cannot start as configured, in one line; null when it can (or is off: no token).
    /// Checks the token's length, the address, the certificate, and that plain HTTP stays on loopback.
    /// </summary>
    public string? Validate()
    {
        string? token;
        try
        {
            token = ResolveToken();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Dnsbl:Admin:TokenFile {TokenFile}: {e.Message}";
        }
        if (token is null) return null;
        if (token.Length < MinTokenLength)
        {
            return $"Dnsbl:Admin:Token is {token.Length} character(s); the admin API needs at least {MinTokenLength} (e.g. openssl rand -hex 16)";
        }
        if (!TryGetEndpoint(out var endpoint)) return $"Dnsbl:Admin:Listen '{Listen}': expected ip:port or [ipv6]:port";
        if (string.IsNullOrWhiteSpace(CertificateFile))
        {
            if (!string.IsNullOrWhiteSpace(CertificateKeyFile)) return "Dnsbl:Admin:CertificateKeyFile is set without Dnsbl:Admin:CertificateFile";
            if (!IPAddress.IsLoopback(endpoint.Address) && !AllowInsecureRemote)
            {
                return $"Dnsbl:Admin:Listen {Listen} is not a loopback address: set Dnsbl:Admin:CertificateFile for HTTPS, or Dnsbl:Admin:AllowInsecureRemote=true to send the token in clear text";
            }
            return null;
        }
        try
        {
            using var certificate = LoadCertificate();
            return null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"Dnsbl:Admin:CertificateFile {CertificateFile}: {e.Message.TrimEnd('.')}";
        }
    }

    /// <summary>The certificate of <see cref="CertificateFile"/> with its private key; null when none is configured.</summary>
    /// <exception cref="CryptographicException">The files do not hold a certificate and its key.</exception>
    public X509Certificate2? LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(CertificateFile)) return null;
        string extension = Path.GetExtension(CertificateFile).ToLowerInvariant();
        string? key = string.IsNullOrWhiteSpace(CertificateKeyFile) ? null : CertificateKeyFile;
        var certificate = extension is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(CertificateFile, CertificatePassword)
            : CertificatePassword is null
                ? X509Certificate2.CreateFromPemFile(CertificateFile, key)
                : X509Certificate2.CreateFromEncryptedPemFile(CertificateFile, CertificatePassword, key);
        if (certificate.HasPrivateKey) return certificate;
        certificate.Dispose();
        throw new CryptographicException("no private key (set Dnsbl:Admin:CertificateKeyFile)");
    }
}
