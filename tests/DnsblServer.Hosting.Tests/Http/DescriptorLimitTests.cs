using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Hosting.Tests.Http;

/// <summary>
/// The server under <c>ulimit -n 256</c> and 1,000 idle connections to /metrics: HttpListener accepted them
/// all and the process died (PAL_SEHException); Kestrel holds at most 4 (the minimum) and closes the rest,
/// so UDP is answered throughout and a fresh scrape succeeds once the idle ones time out (10 s).
/// </summary>
public sealed class DescriptorLimitTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AThousandIdleHttpConnectionsDoNotEndTheProcess()
    {
        _dir.Write("bl", ":127.0.0.2:Listed\n192.0.2.1\n");
        int metricsPort = FreePorts.Tcp();
        using var server = ServerProcess.Start(["-n", "-w", _dir.Path, "bl.test:ip4set:bl", $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}"], descriptorLimit: 256);
        Assert.True(server.WaitForLine(l => l.Contains("metrics: listening"), TimeSpan.FromSeconds(15)), server.Log);
        Assert.Equal([200], RawHttp.Statuses(RawHttp.Exchange(metricsPort, "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")));
        var dns = new RawDnsClient(server.Port);

        var idle = new List<Socket>();
        try
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 1000 && clock.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                try
                {
                    using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.ConnectAsync(IPAddress.Loopback, metricsPort, connect.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // refused or left in the backlog: the server's choice, as long as it lives
                }
                if (i % 100 == 99) Assert.False(server.HasExited, $"exited after {i + 1} connections:\n{server.Log}");
            }
            Assert.True(idle.Count(s => s.Connected) >= 4, $"only {idle.Count(s => s.Connected)} connected");
            await Task.Delay(2000);
            Assert.False(server.HasExited, server.Log);
            Assert.NotNull(dns.Send(Query("1.2.0.192.bl.test", 1)));

            // a fresh scrape on a new connection (not one kept alive from before) gets in once the held ones
            // time out, with the 1,000 sockets still open on this side
            var scrape = Stopwatch.StartNew();
            string fresh = "";
            while (scrape.Elapsed < TimeSpan.FromSeconds(40) && RawHttp.Statuses(fresh) is not [200])
            {
                try
                {
                    fresh = RawHttp.Exchange(metricsPort, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                }
                catch (SocketException)
                {
                    fresh = "";
                }
                if (RawHttp.Statuses(fresh) is not [200]) await Task.Delay(500);
            }
            Assert.Equal([200], RawHttp.Statuses(fresh));
            Assert.Contains("dnsbl_", fresh, StringComparison.Ordinal);
            Assert.NotNull(dns.Send(Query("1.2.0.192.bl.test", 1)));
            Assert.False(server.HasExited, server.Log);
        }
        finally
        {
            foreach (var socket in idle) socket.Dispose();
        }
        Assert.DoesNotContain("PAL_SEHException", server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Out of memory", server.Log, StringComparison.Ordinal);
    }
}
