using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.Hosting.Tests.Http;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>
/// What the admin API refuses at startup (a short token, plain HTTP on a non-loopback address: one line,
/// exit 2) and HTTPS with a certificate file, which makes a non-loopback address acceptable.
/// </summary>
public sealed class AdminStartupTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public AdminStartupTests() => _dir.Write("bl", "192.0.2.1\n");

    public void Dispose() => _dir.Dispose();

    private string[] Args(params string[] admin) => ["-n", "-w", _dir.Path, "bl.test:ip4set:bl", .. admin];

    private static void AssertRefused(ServerProcess server, string expected)
    {
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)), "still running:\n" + server.Log);
        Assert.Equal(2, server.ExitCode);
        string line = Assert.Single(server.Errors);
        Assert.StartsWith("DnsblServer: Dnsbl:Admin:", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void AShortTokenIsRefused()
    {
        using var server = ServerProcess.Start(Args("--Dnsbl:Admin:Token=x"), waitForStart: false);
        AssertRefused(server, "at least 16");
        string file = _dir.Write("token", "fifteen-chars-x\n");
        using var fromFile = ServerProcess.Start(Args($"--Dnsbl:Admin:TokenFile={file}"), waitForStart: false);
        AssertRefused(fromFile, "is 15 character(s)");
        // check says what serve would
        using var check = ServerProcess.Start(["check", "-w", _dir.Path, "bl.test:ip4set:bl", "--Dnsbl:Admin:Token=x"], waitForStart: false, bind: false);
        AssertRefused(check, "at least 16");
    }

    [Fact]
    public void PlainHttpOffLoopbackIsRefusedUnlessAllowed()
    {
        int port = FreePorts.Tcp();
        string[] remote = [$"--Dnsbl:Admin:Listen=0.0.0.0:{port}", $"--Dnsbl:Admin:Token={AdminServer.Token}"];
        using (var server = ServerProcess.Start(Args(remote), waitForStart: false))
        {
            AssertRefused(server, "not a loopback address");
        }
        using var allowed = ServerProcess.Start(Args([.. remote, "--Dnsbl:Admin:AllowInsecureRemote=true"]));
        Assert.True(allowed.WaitForLine(l => l.Contains($"admin API listening on http://0.0.0.0:{port}/"), TimeSpan.FromSeconds(15)), allowed.Log);
        Assert.Equal([200], RawHttp.Statuses(RawHttp.Exchange(port, "GET /v1/status HTTP/1.1\r\nHost: a\r\nConnection: close\r\n" + HttpServersFixture.Auth + "\r\n")));
    }

    [Fact]
    public async Task HttpsWithACertificateFileServesANonLoopbackAddress()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=dnsbl-admin-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certFile = _dir.Write("admin.crt", certificate.ExportCertificatePem());
        string keyFile = _dir.Write("admin.key", key.ExportPkcs8PrivateKeyPem());

        int port = FreePorts.Tcp();
        using var server = ServerProcess.Start(Args($"--Dnsbl:Admin:Listen=0.0.0.0:{port}", $"--Dnsbl:Admin:Token={AdminServer.Token}",
            $"--Dnsbl:Admin:CertificateFile={certFile}", $"--Dnsbl:Admin:CertificateKeyFile={keyFile}"));
        Assert.True(server.WaitForLine(l => l.Contains($"admin API listening on https://0.0.0.0:{port}/"), TimeSpan.FromSeconds(15)), server.Log);

        string thumbprint = certificate.Thumbprint;
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        using var status = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/v1/status");
        status.Headers.Add("Authorization", "Bearer " + AdminServer.Token);
        using var response = await http.SendAsync(status);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"zones\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // plain HTTP on the HTTPS port gets no HTTP answer, so the token is never read in clear
        Assert.Empty(RawHttp.Statuses(RawHttp.Exchange(port, "GET /v1/status HTTP/1.1\r\nHost: a\r\n" + HttpServersFixture.Auth + "\r\n")));
    }
}
