using DnsblServer.Serving.Keys;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Tests.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Keys;

/// <summary>
/// Keyed zones in the resolver, bytes in and bytes out: a known key answers exactly what the unkeyed zone
/// answers for the name without the key (owner as asked), in any case; unknown, missing and over-quota keys
/// get the codes; a new UTC day starts the count again; nothing is allocated per query.
/// </summary>
public sealed class KeyedZoneTests : IDisposable
{
    private const string Data = "$SOA 60 ns.dq.test hm.dq.test 1 1 1 1 30\n$NS 60 ns.dq.test\n:127.0.0.2:Listed $\n192.0.2.1\n10.0.0.0/8 :127.0.0.3:Ten $\n";
    private readonly ZoneDirectory _dir = new();
    private readonly byte[] _response = new byte[4096];
    private long _ticks = new DateTime(2026, 12, 3, 23, 59, 0, DateTimeKind.Utc).Ticks;

    public KeyedZoneTests()
    {
        _dir.Write("bl", Data);
        _dir.Write("keys.txt", "# customers\nAlpha123 3   # three a day\nunlimited\nbeta_x-9 0\n");
    }

    public void Dispose() => _dir.Dispose();

    private QueryProcessor Serve()
    {
        var set = ZoneSetLoader.Load(
            [ZoneSpec.Parse("dq.test:ip4set:bl"), ZoneSpec.Parse("dq.test:keys:keys.txt"), ZoneSpec.Parse("plain.test:ip4set:bl")],
            new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
        return new QueryProcessor(new ResolverOptions(), set)
        {
            Keys = new KeyAccess { UtcTicks = () => _ticks },
            AfterAnswer = new AfterAnswerStage(new Capture(this)),
        };
    }

    private QueryOutcome _outcome;
    private KeyResult _key;

    private (QueryOutcome Outcome, string Text, KeyResult Key) Ask(QueryProcessor processor, string name, ushort type = 255)
    {
        int length = processor.Process(Query(name, type), _response, TransportKind.Udp, default);
        return (_outcome, Summary(length), _key);
    }

    private string Summary(int length) => AnswerSummary.From(_response[..length], new SummaryOptions { PreserveCase = true }).Text;

    private sealed class Capture(KeyedZoneTests test) : IAfterAnswerStep
    {
        public void Run(ref AnswerFacts facts, Span<byte> response) => (test._outcome, test._key) = (facts.Outcome, facts.Key);
    }

    [Theory]
    [InlineData("1.2.0.192", 255)]   // listed: A and TXT with the address
    [InlineData("1.2.0.192", 16)]
    [InlineData("9.9.9.10", 1)]      // listed in a range
    [InlineData("2.2.0.192", 1)]     // not listed: NXDOMAIN with the SOA
    [InlineData("2.0.192", 1)]       // a partial name
    public void AKnownKeyAnswersAsTheUnkeyedZoneWithTheOwnerAsAsked(string address, ushort type)
    {
        var processor = Serve();
        string plain = Summary(processor.Answer(Query($"{address}.plain.test", type), _response, TransportKind.Udp, out _));
        foreach (string key in (string[])["alpha123", "ALPHA123", "aLpHa123", "unlimited", "Beta_X-9"])
        {
            var (_, text, _) = Ask(processor, $"{address}.{key}.dq.test", type);
            string expected = plain.Replace($"{address}.plain.test", $"{address}.{key}.dq.test", StringComparison.Ordinal)
                                   .Replace("plain.test", "dq.test", StringComparison.Ordinal);
            Assert.Equal(expected, text);
            _ticks += TimeSpan.TicksPerDay; // a fresh day for each, so alpha123's quota of 3 is not in the way
        }
    }

    [Fact]
    public void UnknownAndMissingKeysGetTheUnknownCode()
    {
        var processor = Serve();
        foreach (string name in (string[])["1.2.0.192.nokey.dq.test", "1.2.0.192.dq.test", "x.dq.test"])
        {
            var (outcome, text, key) = Ask(processor, name);
            Assert.Equal((QueryOutcome.KeyRefused, KeyResult.UnknownKey), (outcome, key));
            Assert.Contains("A 127.255.255.254", text);
            Assert.Contains("\"access key not known\"", text);
            Assert.Contains(" 60 ", text); // the short TTL
        }
        // the apex needs no key
        Assert.Equal(QueryOutcome.Listed, Ask(processor, "dq.test", 6).Outcome);
        Assert.Equal(QueryOutcome.Listed, Ask(processor, "DQ.test", 2).Outcome);
        // a key alone is a name with names beneath it
        Assert.Equal((QueryOutcome.NoData, KeyResult.Ok), (Ask(processor, "unlimited.dq.test", 1).Outcome, Ask(processor, "unlimited.dq.test", 1).Key));
    }

    [Fact]
    public void TheQueryAfterTheQuotaGetsTheOverQuotaCodeUntilTheNextUtcDay()
    {
        var processor = Serve();
        for (int i = 0; i < 3; i++) Assert.Equal(KeyResult.Ok, Ask(processor, "1.2.0.192.alpha123.dq.test", 1).Key);
        var (outcome, text, key) = Ask(processor, "1.2.0.192.ALPHA123.dq.test");
        Assert.Equal((QueryOutcome.KeyRefused, KeyResult.OverQuota), (outcome, key));
        Assert.Contains("A 127.255.255.255", text);
        Assert.Contains("quota", text);
        for (int i = 0; i < 1000; i++) Assert.Equal(KeyResult.Ok, Ask(processor, "1.2.0.192.unlimited.dq.test", 1).Key);
        _ticks += TimeSpan.TicksPerMinute * 2; // past midnight UTC
        Assert.Equal(KeyResult.Ok, Ask(processor, "1.2.0.192.alpha123.dq.test", 1).Key);
        Assert.Equal(1, processor.Keys.Usage("keys:keys.txt", processor.Zones.Zones.Single(z => z.IsKeyed).Keys).Single(u => u.Name == "alpha123").Today);
    }

    [Fact]
    public void ARevokedKeyStopsAndAnAddedOneWorksOnTheNextPublish()
    {
        var processor = Serve();
        processor.Keys.Change("keys:keys.txt", "unlimited", null);
        processor.Keys.Change("keys:keys.txt", "NewKey", 0);
        processor.Publish(processor.Zones);
        Assert.Equal(KeyResult.UnknownKey, Ask(processor, "1.2.0.192.unlimited.dq.test", 1).Key);
        Assert.Equal(KeyResult.Ok, Ask(processor, "1.2.0.192.newkey.dq.test", 1).Key);
    }

    [Fact]
    public void KeyedQueriesAllocateNothing()
    {
        var processor = Serve();
        byte[][] queries = [Query("1.2.0.192.UnLimited.dq.test", 255), Query("2.2.0.192.unlimited.dq.test", 1), Query("1.2.0.192.nope.dq.test", 255)];
        var response = new byte[4096];
        Assert.Equal(0, Allocations.PerThousandPasses(() => { foreach (var q in queries) processor.Answer(q, response, TransportKind.Udp, out _); }));
    }

    [Fact]
    public void CountersCountAcrossThreadsWithoutLosingAny()
    {
        var counter = new KeyCounter();
        long ticks = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc).Ticks;
        Parallel.For(0, 4, _ => { for (int i = 0; i < 100_000; i++) counter.Count(ticks); });
        Assert.Equal(400_000, counter.CountOn(ticks));
        Assert.Equal(0, counter.CountOn(ticks + TimeSpan.TicksPerDay));
        Assert.Equal(1, counter.Count(ticks + TimeSpan.TicksPerDay));
        // a loop whose clock read is a little older counts into the newer day rather than resetting it
        Assert.Equal(2, counter.Count(ticks));
    }
}
