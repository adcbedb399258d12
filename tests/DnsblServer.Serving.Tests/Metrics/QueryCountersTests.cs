using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Metrics;

/// <summary>The per-thread query counters: exact counts through <see cref="QueryProcessor.Process"/>, no allocation, sums over threads.</summary>
public sealed class QueryCountersTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly ZoneSet _zones;

    public QueryCountersTests()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 7 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        _dir.Write("big", string.Concat(Enumerable.Range(0, 4).Select(i => $"big TXT {new string((char)('a' + i), 200)}\n")));
        _zones = ZoneSetLoader.Load([ZoneSpec.Parse("bl.test:ip4set:bl"), ZoneSpec.Parse("g.test:generic:big")],
            new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EveryOutcomeHasOneRowInTheTable()
    {
        var outcomes = Enum.GetValues<QueryOutcome>();
        Assert.Equal(outcomes.Length, QueryResults.Count);
        for (int i = 0; i < outcomes.Length; i++) Assert.Equal((QueryOutcome)i, QueryResults.Table[i].Outcome);
        Assert.True(QueryResults.Count <= DnsblServer.Serving.Metrics.Internal.CounterBlock.ResultStride, "CounterBlock keeps ResultStride result slots per qtype");
        Assert.Equal(QueryResults.Table.Count, QueryResults.Table.Select(r => r.Result).Distinct().Count());
        Assert.All(QueryResults.Table, r => Assert.True(r.Rcode is null || QueryResults.Rcodes.Contains(r.Rcode)));
    }

    [Fact]
    public void CountsQueriesByZoneTypeAndResultWithTheirBytes()
    {
        var counters = new QueryCounters(1); // smaller than the zone set: the blocks grow
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(counters) };
        var response = new byte[65535];
        long udpIn = 0, udpOut = 0, tcpIn = 0, tcpOut = 0;
        void Ask(byte[] query, TransportKind transport = TransportKind.Udp)
        {
            int n = processor.Process(query, response, transport, [127, 0, 0, 1]);
            if (transport == TransportKind.Udp) { udpIn += query.Length; udpOut += n; }
            else { tcpIn += query.Length; tcpOut += n; }
        }

        Ask(Query("1.2.0.192.bl.test", 1));
        Ask(Query("1.2.0.192.bl.test", 1), TransportKind.Tcp);
        Ask(Query("1.2.0.192.bl.test", 16));
        Ask(Query("9.2.0.192.bl.test", 1));
        Ask(Query("bl.test", 6));
        Ask(Query("x.other", 1));
        Ask(Query("version.bind", 16, ClassCh));
        Ask(Query("1.2.0.192.bl.test", 65000));
        Ask(Query("1.2.0.192.bl.test", 1, edns: new Edns(Version: 1)));
        Ask(Query("big.g.test", 16));                 // 4 x 200 bytes of TXT: TC=1 over UDP
        Ask([1, 2, 3, 4, 5]);                          // too short: dropped
        Ask(Query("1.2.0.192.bl.test", 1, flags: FlagQr)); // a response: dropped

        var s = counters.Snapshot();
        int bl = 1 + _zones.Zones.ToList().FindIndex(z => z.Name == "bl.test");
        int g = 1 + _zones.Zones.ToList().FindIndex(z => z.Name == "g.test");
        long Count(int zone, string qtype, string result) =>
            s.Queries(zone, QueryTypeLabels.Labels.ToList().IndexOf(qtype), QueryResults.Table.ToList().FindIndex(r => r.Result == result));

        Assert.Equal(2, Count(bl, "A", "listed"));
        Assert.Equal(1, Count(bl, "TXT", "listed"));
        Assert.Equal(1, Count(bl, "A", "not_listed"));
        Assert.Equal(1, Count(bl, "SOA", "listed"));
        Assert.Equal(1, Count(g, "TXT", "listed"));
        Assert.Equal(1, Count(0, "A", "refused"));
        Assert.Equal(1, Count(0, "TXT", "version"));
        Assert.Equal(1, Count(0, "OTHER", "notimp"));
        Assert.Equal(1, Count(0, "A", "badvers"));
        Assert.Equal(2, Count(0, "", "dropped"));
        long all = 0;
        for (int z = 0; z < s.ZoneSlots; z++)
            for (int t = 0; t < QueryTypeLabels.Count; t++)
                for (int r = 0; r < QueryResults.Count; r++) all += s.Queries(z, t, r);
        Assert.Equal(12, all);

        Assert.Equal(1, s.Truncated);
        Assert.Equal(1, s.Dropped(DropReasons.Labels.ToList().IndexOf("too_short")));
        Assert.Equal(1, s.Dropped(DropReasons.Labels.ToList().IndexOf("response")));
        Assert.Equal(udpIn, Enumerable.Range(0, s.ZoneSlots).Sum(z => s.ReceivedBytes(z, TransportKind.Udp)));
        Assert.Equal(udpOut, Enumerable.Range(0, s.ZoneSlots).Sum(z => s.SentBytes(z, TransportKind.Udp)));
        Assert.Equal(tcpIn, s.ReceivedBytes(bl, TransportKind.Tcp));
        Assert.Equal(tcpOut, s.SentBytes(bl, TransportKind.Tcp));
        // rbldnsd's classes: ok = listed + nodata + version, nxd, err = the rest
        Assert.Equal(4, s.Queries(bl, StatsClass.Ok));
        Assert.Equal(1, s.Queries(bl, StatsClass.NxDomain));
        Assert.Equal(1, s.Queries(0, StatsClass.Ok));
        Assert.Equal(5, s.Queries(0, StatsClass.Error));
    }

    [Fact]
    public void SumsTheCountersOfEveryThread()
    {
        var counters = new QueryCounters(2);
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(counters) };
        byte[] query = Query("1.2.0.192.bl.test", 1);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            var response = new byte[4096];
            for (int i = 0; i < 10_000; i++) processor.Process(query, response, TransportKind.Udp, []);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var s = counters.Snapshot();
        int bl = 1 + _zones.Zones.ToList().FindIndex(z => z.Name == "bl.test");
        Assert.Equal(40_000, s.Queries(bl, StatsClass.Ok));
        Assert.Equal(40_000L * query.Length, s.ReceivedBytes(bl, TransportKind.Udp));
    }

    [Fact]
    public void CountingAllocatesNothing()
    {
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(new QueryCounters(_zones.Zones.Count)) };
        byte[][] queries =
        [
            Query("1.2.0.192.bl.test", 16), Query("9.2.0.192.bl.test", 1), Query("x.other", 1), Query("big.g.test", 16),
            Query("1.2.0.192.bl.test", 1, edns: new Edns(Version: 1)), [1, 2, 3], Query("version.bind", 16, ClassCh),
        ];
        var response = new byte[4096];
        for (int i = 0; i < 300; i++)
        {
            foreach (var q in queries) processor.Process(q, response, TransportKind.Udp, [127, 0, 0, 1]);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            foreach (var q in queries) processor.Process(q, response, TransportKind.Udp, [127, 0, 0, 1]);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
