using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Tests.Metrics;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// The real binary with <c>Dnsbl:RateLimit</c> on, over real UDP sockets bound to different loopback
/// addresses: an identical-question flood from one address is limited and slipped, while another
/// address and a distinct-name stream from the flooding address are answered in full.
/// </summary>
public sealed class RateLimitEndToEndTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AFloodIsLimitedAndSlippedWhileOtherClientsAndDistinctNamesAreAnswered()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n192.0.2.3\n");
        int metricsPort = FreePorts.Tcp();
        using var server = ServerProcess.Start(["-n", "-w", _dir.Path, "--Dnsbl:RateLimit:ResponsesPerSecond=10", "--Dnsbl:RateLimit:Slip=2",
            $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}", "bl.test:ip4set:bl"]);
        var target = new IPEndPoint(IPAddress.Loopback, server.Port);
        Assert.Contains(server.Output, l => l.Contains("rate limiting UDP answers: 10/s per client /24 or /56 and question") && l.Contains("slip 2"));

        // 300 copies of one question in about 70 ms: 10 full answers (plus what a second boundary lets
        // through), then every 2nd limited answer slipped (TC=1, no records) and the rest dropped
        var flood = Exchange("127.0.0.1", target, Enumerable.Repeat("1.2.0.192.bl.test", 300));
        Assert.True(flood.Full is >= 10 and <= 25 && flood.Slipped is >= 100 and <= 160, $"flood: {flood}");

        // the same /24 shares the flood's count; the key stays limited for seconds (the rate halves each second)
        var sameSlash24 = Exchange("127.0.0.2", target, Enumerable.Repeat("1.2.0.192.bl.test", 4));
        Assert.True(sameSlash24.Full == 0, $"same /24: {sameSlash24}");

        // another /24: answered in full
        var other = Exchange("127.0.1.1", target, Enumerable.Repeat("1.2.0.192.bl.test", 8));
        Assert.True(other is { Full: 8, Slipped: 0 }, $"other /24: {other}");

        // the flooding address asking many different names (a mail provider's resolver): all answered, listed or NXDOMAIN
        var names = Enumerable.Range(0, 400).Select(i => $"{i % 250}.{i / 250 + 10}.0.192.bl.test").Append("3.2.0.192.bl.test");
        var distinct = Exchange("127.0.0.1", target, names);
        Assert.True(distinct is { Full: 401, Slipped: 0, Missing: 0 }, $"distinct names: {distinct}");

        var samples = MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body);
        Assert.True(samples["dnsbl_ratelimit_limited_total{dry_run=\"false\"}"] >= 300 - flood.Full + 4);
        Assert.Equal(flood.Slipped + sameSlash24.Slipped, samples["dnsbl_ratelimit_slipped_total{dry_run=\"false\"}"]);
    }

    [Fact]
    public void DryRunAnswersEverythingAndCounts()
    {
        _dir.Write("bl", "192.0.2.1\n");
        int metricsPort = FreePorts.Tcp();
        using var server = ServerProcess.Start(["-n", "-w", _dir.Path, "--Dnsbl:RateLimit:ResponsesPerSecond=5", "--Dnsbl:RateLimit:DryRun=true",
            $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}", "bl.test:ip4set:bl"]);
        var flood = Exchange("127.0.0.1", new IPEndPoint(IPAddress.Loopback, server.Port), Enumerable.Repeat("1.2.0.192.bl.test", 100));
        Assert.Equal(100, flood.Full);
        var samples = MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body);
        Assert.InRange(samples["dnsbl_ratelimit_limited_total{dry_run=\"true\"}"], 80, 95);
    }

    [Theory]
    [InlineData("--Dnsbl:RateLimit:Exempt:0=192.0.2.1/24", "Dnsbl:RateLimit:Exempt:0 '192.0.2.1/24': not an address prefix")]
    [InlineData("--Dnsbl:RateLimit:Ipv6PrefixLength=200", "Dnsbl:RateLimit:Ipv6PrefixLength 200: must be 1-128")]
    [InlineData("--Dnsbl:RateLimit:Slip=-1", "Dnsbl:RateLimit:Slip -1: must be 0")]
    public void ABadSettingIsOneLineAndExitTwo(string setting, string expected)
    {
        _dir.Write("bl", "192.0.2.1\n");
        using var server = ServerProcess.Start(["-w", _dir.Path, setting, "bl.test:ip4set:bl"], waitForStart: false);
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), server.Log);
        Assert.Equal(2, server.ExitCode);
        Assert.Contains(expected, Assert.Single(server.Errors));
    }

    private readonly record struct Tally(int Full, int Slipped, int Missing);

    // Sends every question from a socket bound to `source`, then reads replies until 1.5 s of silence.
    private static Tally Exchange(string source, IPEndPoint target, IEnumerable<string> names)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        socket.ReceiveBufferSize = 1 << 20;
        int sent = 0;
        foreach (string name in names)
        {
            socket.SendTo(Query(name, 1, id: (ushort)sent++), target);
            if (sent % 25 == 0) Thread.Sleep(5); // paced: a burst of hundreds can overflow the server's socket buffer on a busy machine
        }
        int full = 0, slipped = 0;
        var buffer = new byte[4096];
        var seen = new HashSet<ushort>();
        socket.ReceiveTimeout = 1500;
        while (true)
        {
            int length;
            try { length = socket.Receive(buffer); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut) { break; }
            if (!seen.Add(BinaryPrimitives.ReadUInt16BigEndian(buffer))) continue;
            bool tc = (buffer[2] & 0x02) != 0;
            int answers = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6));
            int rcode = buffer[3] & 0x0F;
            if (tc && answers == 0) slipped++;
            else if (!tc && (answers > 0 || rcode == 3)) full++;
        }
        return new Tally(full, slipped, sent - full - slipped);
    }
}
