using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary>rbldnsd's <c>-s statsfile</c>: our file against the real rbldnsd's for the same queries, and the '+' (relative) form.</summary>
public sealed class StatsFileTests : IDisposable
{
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;
    private static readonly string[] Specs = ["b.zone.test:ip4set:bl", "a.test:dnset:dn", "c.a.test:ip4set:bl"];
    private readonly ZoneDirectory _dir = new();

    public StatsFileTests()
    {
        _dir.Write("bl", "$SOA 60 ns.zone.test hm.zone.test 3 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        _dir.Write("dn", ":127.0.0.3:Domain $\nbad.example\n");
    }

    public void Dispose() => _dir.Dispose();

    // rbldnsd runs as user rbldns when started as root: its file must exist and be writable by anyone
    private string StatsPath(string name)
    {
        string path = _dir.Write(name, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        return path;
    }

    private static List<string> Lines(string path) => [.. File.ReadAllLines(path).Where(l => l.Length > 0)];

    private static void WaitForLines(string path, int count, string what)
    {
        var clock = Stopwatch.StartNew();
        while (Lines(path).Count < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) Assert.Fail($"{what}: {path} has {Lines(path).Count} lines, expected {count}:\n{File.ReadAllText(path)}");
            Thread.Sleep(50);
        }
    }

    private static readonly byte[][] Queries =
    [
        Query("1.2.0.192.b.zone.test", 1), Query("1.2.0.192.b.zone.test", 16), Query("9.2.0.192.b.zone.test", 1),
        Query("b.zone.test", 6), Query("bad.example.a.test", 16), Query("good.example.a.test", 1),
        Query("1.2.0.192.c.a.test", 1), Query("x.other", 1), Query("1.2.0.192.b.zone.test", 65000),
        Query("1.2.0.192.b.zone.test", 1, ClassAny), Query("foo.b.zone.test", 1, 4), Query("a.test", 2),
    ];

    private static void Send(int port)
    {
        var client = new RawDnsClient(port);
        using (var raw = new UdpClient())
        {
            var server = new IPEndPoint(IPAddress.Loopback, port);
            raw.Send([1, 2, 3, 4, 5], 5, server);                           // too short: no answer, counted as an error
            byte[] response = Query("1.2.0.192.b.zone.test", 1, flags: FlagQr);
            raw.Send(response, response.Length, server);                     // a response: no answer either
        }
        foreach (var query in Queries) Assert.NotNull(client.Send(query)); // answered after the drops: one socket, read in order
    }

    [Fact]
    public void SameLinesAsRbldnsd()
    {
        RbldnsdInstance.EnsureAvailable();
        string theirsPath = StatsPath("theirs.stats");
        string oursPath = StatsPath("ours.stats");
        using var rbldnsd = RbldnsdInstance.Start(_dir.Path, Specs, ["-s", "theirs.stats", "-c", "1h"]);
        using var ours = ServerProcess.Start(["-n", "-w", _dir.Path, "-s", "ours.stats", "-c", "1h", "--Dnsbl:UdpLoops=1", .. Specs]);
        WaitForLines(oursPath, 1, "the start line");

        // the test harness's readiness probe reached rbldnsd: SIGUSR2 writes a line, then starts the counters from 0
        rbldnsd.SendSignal(SigUsr2);
        ours.Signal(SigUsr2);
        WaitForLines(theirsPath, 3, "rbldnsd's reset");
        WaitForLines(oursPath, 3, "our reset");

        Send(rbldnsd.Port);
        Send(ours.Port);
        rbldnsd.SendSignal(SigUsr1);
        ours.Signal(SigUsr1);
        WaitForLines(theirsPath, 4, "rbldnsd's SIGUSR1 line");
        WaitForLines(oursPath, 4, "our SIGUSR1 line");

        static string WithoutTime(string line) => line[(line.IndexOf(' ') + 1)..];
        string theirs = WithoutTime(Lines(theirsPath)[3]);
        Assert.Equal(theirs, WithoutTime(Lines(oursPath)[3]));
        Assert.StartsWith("b.zone.test:", theirs, StringComparison.Ordinal); // the same zone order, and traffic in it
        Assert.All(Lines(oursPath), l => Assert.InRange(long.Parse(l.Split(' ')[0]), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));

        // at exit: one more line of totals, then the time alone, as rbldnsd
        ours.Signal(15);
        Assert.True(ours.WaitForExit(TimeSpan.FromSeconds(15)));
        var lines = Lines(oursPath);
        Assert.Equal(6, lines.Count);
        Assert.Equal(WithoutTime(lines[3]), WithoutTime(lines[4]));
        Assert.Matches("^[0-9]+$", lines[5]);
        Assert.Contains(ours.Output, l => l.Contains("stats for ") && l.Contains("zone b.zone.test: tot="));
    }

    [Fact]
    public void ALineEveryCheckInterval()
    {
        string path = StatsPath("timer.stats");
        using var ours = ServerProcess.Start(["-n", "-w", _dir.Path, "-s", "timer.stats", "-c", "1", .. Specs]);
        Assert.NotNull(new RawDnsClient(ours.Port).Send(Query("9.2.0.192.b.zone.test", 1)));
        int q = Query("9.2.0.192.b.zone.test", 1).Length;
        var clock = Stopwatch.StartNew();
        while (Lines(path).Count(l => l.Contains($" b.zone.test:1:0:1:{q}:", StringComparison.Ordinal)) < 2)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail("no two timer lines with the query:\n" + File.ReadAllText(path));
            Thread.Sleep(100);
        }
        var lines = Lines(path);
        Assert.Matches("^[0-9]+$", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^[0-9]+ b\.zone\.test:[0-9:]+ c\.a\.test:[0-9:]+ a\.test:[0-9:]+ \*:[0-9:]+$", l));
        Assert.Contains($" *:1:0:1:{q}:", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeLinesHoldTheChangeSinceThePreviousLine()
    {
        string path = StatsPath("relative.stats");
        using var ours = ServerProcess.Start(["-n", "-w", _dir.Path, "-s", "+relative.stats", "-c", "1h", "--Dnsbl:UdpLoops=1", .. Specs]);
        var client = new RawDnsClient(ours.Port);
        Assert.NotNull(client.Send(Query("1.2.0.192.b.zone.test", 1)));
        ours.Signal(SigUsr1);
        WaitForLines(path, 2, "the first line");
        ours.Signal(SigUsr1);
        WaitForLines(path, 3, "the second line");
        var lines = Lines(path);
        int q = Query("1.2.0.192.b.zone.test", 1).Length;
        Assert.StartsWith($"b.zone.test:1:1:0:{q}:", lines[1][(lines[1].IndexOf(' ') + 1)..], StringComparison.Ordinal);
        Assert.Equal("b.zone.test:0:0:0:0:0 c.a.test:0:0:0:0:0 a.test:0:0:0:0:0 *:0:0:0:0:0", lines[2][(lines[2].IndexOf(' ') + 1)..]);
    }
}
