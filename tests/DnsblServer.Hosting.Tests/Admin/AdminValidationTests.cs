using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DnsblServer.Hosting.Configuration;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary><see cref="AdminSettings.Validate"/>: the one line the server exits with, or null when the API can start (or is off).</summary>
public sealed class AdminValidationTests : IDisposable
{
    private const string Token = "0123456789abcdef";
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string?, bool, string?> Cases => new()
    {
        // listen, token, allowInsecureRemote, expected error (a part of it); null: starts
        { "127.0.0.1:8953", null, false, null },                       // off: nothing to check
        { "0.0.0.0:8953", null, false, null },
        { "127.0.0.1:8953", Token, false, null },
        { "[::1]:8953", Token, false, null },
        { "127.0.0.1:8953", "x", false, "is 1 character(s); the admin API needs at least 16" },
        { "127.0.0.1:8953", Token[..^1], false, "at least 16" },
        { "0.0.0.0:8953", Token, false, "not a loopback address" },
        { "[::]:8953", Token, false, "not a loopback address" },
        { "192.0.2.1:8953", Token, false, "not a loopback address" },
        { "0.0.0.0:8953", Token, true, null },
        { "localhost:8953", Token, false, "expected ip:port" },
        { "127.0.0.1", Token, false, "expected ip:port" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate(string listen, string? token, bool allowInsecureRemote, string? expected)
    {
        var options = new AdminSettings { Listen = listen, Token = token, AllowInsecureRemote = allowInsecureRemote };
        string? error = options.Validate();
        if (expected is null) Assert.Null(error);
        else Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificatesFromPemPairPemBundleAndPfx()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=admin", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        string pem = _dir.Write("admin.crt", certificate.ExportCertificatePem());
        string keyPem = _dir.Write("admin.key", key.ExportPkcs8PrivateKeyPem());
        string bundle = _dir.Write("bundle.pem", certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        string pfx = Path.Combine(_dir.Path, "admin.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "pw")); // CreateSelfSigned keeps the key

        AdminSettings Remote(string file, string? keyFile = null, string? password = null) =>
            new() { Listen = "0.0.0.0:8953", Token = Token, CertificateFile = file, CertificateKeyFile = keyFile, CertificatePassword = password };

        Assert.Null(Remote(pem, keyPem).Validate());
        Assert.Null(Remote(bundle).Validate());
        Assert.Null(Remote(pfx, password: "pw").Validate());
        using (var loaded = Remote(pfx, password: "pw").LoadCertificate()) Assert.Equal(certificate.Thumbprint, loaded!.Thumbprint);

        Assert.Contains("CertificateFile", Remote(pem).Validate(), StringComparison.Ordinal);          // no key
        Assert.Contains("CertificateFile", Remote(pfx, password: "wrong").Validate(), StringComparison.Ordinal);
        Assert.Contains("CertificateFile", Remote(Path.Combine(_dir.Path, "missing.crt")).Validate(), StringComparison.Ordinal);
        Assert.Contains("without Dnsbl:Admin:CertificateFile", new AdminSettings { Token = Token, CertificateKeyFile = keyPem }.Validate(), StringComparison.Ordinal);
    }
}
