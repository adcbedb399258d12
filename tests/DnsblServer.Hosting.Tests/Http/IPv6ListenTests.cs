using System.Net;
using DnsblServer.Hosting.Tests.Admin;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Http;

/// <summary>
/// IPv6 listen addresses for both HTTP endpoints: HttpListener stopped the server on <c>[::1]:PORT</c>
/// ("Invalid port in prefix"), left the admin API off, and took <c>[::]</c> as IPv4 only.
/// </summary>
public sealed class IPv6ListenTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public IPv6ListenTests() => _dir.Write("bl", "192.0.2.1\n");

    public void Dispose() => _dir.Dispose();

    private static string Get(IPAddress address, int port, string path, string? auth = null) =>
        RawHttp.Exchange(port, $"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}\r\n", address);

    [Fact]
    public void LoopbackForMetricsAndAdmin()
    {
        int metrics = FreePorts.Tcp(), admin = FreePorts.Tcp();
        using var server = ServerProcess.Start(["-n", "-w", _dir.Path, "bl.test:ip4set:bl", $"--Dnsbl:Metrics:Listen=[::1]:{metrics}",
            $"--Dnsbl:Admin:Listen=[::1]:{admin}", $"--Dnsbl:Admin:Token={AdminServer.Token}"]);
        Assert.True(server.WaitForLine(l => l.Contains($"admin API listening on http://[::1]:{admin}/"), TimeSpan.FromSeconds(15)), server.Log);
        Assert.Equal([200], RawHttp.Statuses(Get(IPAddress.IPv6Loopback, metrics, "/healthz")));
        Assert.Contains("dnsbl_", Get(IPAddress.IPv6Loopback, metrics, "/metrics"), StringComparison.Ordinal);
        Assert.Equal([200], RawHttp.Statuses(Get(IPAddress.IPv6Loopback, admin, "/v1/status", HttpServersFixture.Auth)));
    }

    [Fact]
    public void AnyIsDualStack()
    {
        int metrics = FreePorts.Tcp();
        using var server = ServerProcess.Start(["-n", "-w", _dir.Path, "bl.test:ip4set:bl", $"--Dnsbl:Metrics:Listen=[::]:{metrics}"]);
        Assert.True(server.WaitForLine(l => l.Contains("metrics: listening"), TimeSpan.FromSeconds(15)), server.Log);
        Assert.Equal([200], RawHttp.Statuses(Get(IPAddress.IPv6Loopback, metrics, "/readyz")));
        Assert.Equal([200], RawHttp.Statuses(Get(IPAddress.Loopback, metrics, "/readyz")));
    }
}
