using DnsblServer.Serving.QueryLog;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Compatibility.Tests;

/// <summary>Our -l query log against rbldnsd's for the same queries: identical lines but for the timestamp.</summary>
public sealed class QueryLogDifferentialTests
{
    [Fact]
    public void SameLinesAsRbldnsd()
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        string logPath = Path.Combine(dir.Path, "ours.log");
        using var rbldnsd = RbldnsdInstance.Start(dir.Path, ["bl.test:ip4set:bl"], ["-l", "+-"]);
        var log = new QueryLogWriter(logPath, unbuffered: true);
        using (var ours = new OurServer(dir.Path, ["bl.test:ip4set:bl"], new Serving.Resolving.ResolverOptions { VersionText = ServerPair.RbldnsdVersion }, queryLog: log))
        {
            byte[][] queries =
            [
                Query("1.2.0.192.bl.test", 1), Query("1.2.0.192.bl.test", 16), Query("9.2.0.192.bl.test", 1),
                Query("Bl.TEST", 6), Query("1.2.0.192.bl.test", 249), Query("1.2.0.192.bl.test", 65000),
                Query("x.other", 1), Query("1.2.0.192.bl.test", 1, ClassAny), Query("foo.bl.test", 1, 4),
                Query("version.bind", 16, ClassCh), Query("we\\.ird.bl.test", 1), Query("1.2.0.192.bl.test", 15),
            ];
            foreach (var q in queries)
            {
                Assert.NotNull(rbldnsd.CreateClient().Send(q));
                Assert.NotNull(ours.CreateClient().Send(q));
            }
        }
        log.Dispose();
        Assert.True(rbldnsd.WaitForLine(l => l.Contains(" MX IN: "), TimeSpan.FromSeconds(5)));
        static string WithoutTime(string line) => line[(line.IndexOf(' ') + 1)..];
        // the harness's readiness probe comes first in rbldnsd's log; ours are the last twelve
        var theirs = rbldnsd.OutputLines.Where(l => l.Contains(": ") && l.Contains(" 127.0.0.1 ")).Select(WithoutTime).TakeLast(12).ToList();
        var mine = File.ReadAllLines(logPath).Select(WithoutTime).ToList();
        Assert.Equal(theirs, mine);
        Assert.All(File.ReadAllLines(logPath), l => Assert.InRange(long.Parse(l[..l.IndexOf(' ')]), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
    }
}
