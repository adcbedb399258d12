using System.Buffers.Binary;
using System.Net;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.RateLimiting;
using DnsblServer.Serving.RateLimiting.Internal;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Tests.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Wire;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.RateLimiting;

/// <summary>The rate limiter as the first step after the answer, fed real answers of a real processor and a clock the test turns.</summary>
public sealed class ResponseRateLimiterTests : IDisposable
{
    private static readonly byte[] Client = [192, 0, 2, 1];
    private readonly ZoneDirectory _dir = new();
    private readonly ZoneSet _zones;
    private readonly byte[] _response = new byte[65535];
    private long _now = 1000;

    public ResponseRateLimiterTests()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 7 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        _zones = ZoneSetLoader.Load([ZoneSpec.Parse("bl.test:ip4set:bl")], new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
    }

    public void Dispose() => _dir.Dispose();

    private (ResponseRateLimiter Limiter, QueryProcessor Processor) Make(int rate, int slip = 0, bool dryRun = false, IPNetwork[]? exempt = null)
    {
        var limiter = new ResponseRateLimiter(new RateLimiterOptions
        {
            ResponsesPerSecond = rate, Slip = slip, DryRun = dryRun, TableSize = 4096, Exempt = exempt ?? [],
        }, () => _now);
        return (limiter, new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(limiter) });
    }

    private static int Ask(QueryProcessor p, byte[] query, byte[] response, byte[] client) => p.Process(query, response, TransportKind.Udp, client);

    private int Answered(QueryProcessor p, byte[] query, int times, byte[]? client = null)
    {
        int answered = 0;
        for (int i = 0; i < times; i++) if (Ask(p, query, _response, client ?? Client) > 0) answered++;
        return answered;
    }

    [Fact]
    public void IdenticalQuestionsAreLimitedAfterTheRateAndTheRateHalvesEachSecond()
    {
        var (limiter, p) = Make(rate: 5);
        byte[] query = Query("1.2.0.192.bl.test", 1);
        Assert.Equal(5, Answered(p, query, 20));                 // 20 counted, 5 sent
        _now += 3;                                               // 20 >> 3 = 2 carried: 3 more fit
        Assert.Equal(3, Answered(p, query, 10));
        _now += 30;                                              // long quiet: a fresh start
        Assert.Equal(5, Answered(p, query, 10));
        Assert.Equal(15 + 7 + 5, limiter.Snapshot().Limited);
        Assert.Equal(0, limiter.Snapshot().Slipped);
    }

    [Fact]
    public void AFloodAtTwiceTheRateStaysLimitedFromOneSecondToTheNext()
    {
        var (_, p) = Make(rate: 5);
        byte[] query = Query("1.2.0.192.bl.test", 1);
        Assert.Equal(5, Answered(p, query, 10));
        _now++;                                                  // 10 >> 1 = 5 carried: the limit is reached already
        Assert.Equal(0, Answered(p, query, 10));
    }

    [Fact]
    public void ClientsAreGroupedByTheirPrefix()
    {
        var (_, p) = Make(rate: 3);
        byte[] query = Query("1.2.0.192.bl.test", 16);
        Assert.Equal(3, Answered(p, query, 10, [192, 0, 2, 1]));
        Assert.Equal(0, Answered(p, query, 5, [192, 0, 2, 200]));            // same /24
        Assert.Equal(0, Answered(p, query, 5, V4Mapped(192, 0, 2, 9)));      // same /24, from a dual-stack socket
        Assert.Equal(3, Answered(p, query, 5, [192, 0, 3, 1]));              // another /24

        byte[] a = IPAddress.Parse("2001:db8:0:100::1").GetAddressBytes();
        byte[] sameSlash56 = IPAddress.Parse("2001:db8:0:1ff:ffff::2").GetAddressBytes();
        byte[] otherSlash56 = IPAddress.Parse("2001:db8:0:200::1").GetAddressBytes();
        Assert.Equal(3, Answered(p, query, 10, a));
        Assert.Equal(0, Answered(p, query, 5, sameSlash56));
        Assert.Equal(3, Answered(p, query, 5, otherSlash56));
    }

    [Fact]
    public void DistinctNamesFromOneAddressAreAllAnsweredListedOrNot()
    {
        // a mail provider's resolver: many names a second, most NXDOMAIN; the NXDOMAINs are keyed on the name, not the zone
        var (limiter, p) = Make(rate: 2);
        int answered = 0;
        for (int i = 0; i < 5000; i++)
        {
            answered += Ask(p, Query($"{i % 250}.{i / 250}.0.192.bl.test", 1), _response, Client) > 0 ? 1 : 0;
        }
        Assert.Equal(5000, answered);
        Assert.Equal(0, limiter.Snapshot().Limited);
    }

    [Fact]
    public void NamesDifferingOnlyInCaseShareAKeyAndQTypesDoNot()
    {
        var (_, p) = Make(rate: 4);
        Assert.Equal(2, Answered(p, Query("1.2.0.192.bl.test", 1), 2));
        Assert.Equal(2, Answered(p, Query("1.2.0.192.BL.TEST", 1), 5)); // 2 left of the same key
        Assert.Equal(4, Answered(p, Query("1.2.0.192.bl.test", 16), 5)); // TXT: a key of its own
    }

    [Fact]
    public void ErrorsAreKeyedOnThePrefixAlone()
    {
        var (_, p) = Make(rate: 10);
        int answered = 0;
        for (int i = 0; i < 100; i++) answered += Ask(p, Query($"name{i}.not-ours.example", 1), _response, Client) > 0 ? 1 : 0; // REFUSED
        Assert.Equal(10, answered);
        Assert.Equal(10, Answered(p, Query("1.2.0.192.bl.test", 1), 10)); // answers keep their own keys
    }

    [Fact]
    public void EveryNthLimitedAnswerSlipsWithTcAndTheRestAreDropped()
    {
        var (limiter, p) = Make(rate: 1, slip: 3);
        byte[] query = Query("1.2.0.192.bl.test", 1);
        Assert.True(Ask(p, query, _response, Client) > query.Length);
        int slipped = 0, dropped = 0;
        for (int i = 0; i < 30; i++)
        {
            int length = Ask(p, query, _response, Client);
            if (length == 0) { dropped++; continue; }
            slipped++;
            Assert.Equal(query.Length, length);                             // header and question
            Assert.Equal(0x02, _response[2] & 0x02);                        // TC
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(6)));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(8)));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(10)));
            Assert.Equal(query.AsSpan(12).ToArray(), _response.AsSpan(12, length - 12).ToArray());
        }
        Assert.Equal((10, 20), (slipped, dropped));
        Assert.Equal(new RateLimitCounters(30, 10, false), limiter.Snapshot());
    }

    [Fact]
    public void SlipZeroDropsAndSlipOneSlipsEveryLimitedAnswer()
    {
        byte[] query = Query("1.2.0.192.bl.test", 1);
        var (_, drops) = Make(rate: 1, slip: 0);
        Assert.Equal(1, Answered(drops, query, 10));
        var (all, slips) = Make(rate: 1, slip: 1);
        Assert.Equal(10, Answered(slips, query, 10));
        Assert.Equal(new RateLimitCounters(9, 9, false), all.Snapshot());
    }

    [Fact]
    public void ASlipKeepsTheOptRecord()
    {
        var (_, p) = Make(rate: 1, slip: 1);
        byte[] query = Query("1.2.0.192.bl.test", 16, edns: new Edns(1232));
        int full = Ask(p, query, _response, Client);
        byte[] opt = _response.AsSpan(full - 11, 11).ToArray();
        Assert.Equal(41, BinaryPrimitives.ReadUInt16BigEndian(opt.AsSpan(1)));
        int questionEnd = query.Length - 11;

        int length = Ask(p, query, _response, Client);

        Assert.Equal(questionEnd + 11, length);
        Assert.Equal(opt, _response.AsSpan(questionEnd, 11).ToArray());
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(10)));
        Assert.Equal(0x02, _response[2] & 0x02);
        Assert.Equal(0, _response[3] & 0x0F);
    }

    [Theory]
    [InlineData(CookieStatus.ClientOnly)]
    [InlineData(CookieStatus.Invalid)]
    public void AClientWithoutAValidServerCookieGetsBadCookieWithTheOpt(CookieStatus cookie)
    {
        var limiter = new ResponseRateLimiter(new RateLimiterOptions { ResponsesPerSecond = 1, Slip = 1, TableSize = 64 }, () => _now);
        var (response, questionEnd) = EdnsAnswer(out byte[] opt);
        Assert.Equal(response.Length, RunFacts(limiter, response, TransportKind.Udp, cookie, questionEnd, out _));

        int length = RunFacts(limiter, response, TransportKind.Udp, cookie, questionEnd, out bool truncated);

        Assert.Equal(questionEnd + opt.Length, length);
        Assert.False(truncated);
        Assert.Equal(0, response[2] & 0x02);                      // TC=0: retry over UDP, with the cookie
        Assert.Equal(7, response[3] & 0x0F);                      // BADCOOKIE = 23 = 1 << 4 | 7
        Assert.Equal(1, response[questionEnd + 5]);               // the high bits in the OPT
        Assert.Equal(opt.AsSpan(6).ToArray(), response.AsSpan(questionEnd + 6, opt.Length - 6).ToArray()); // rest of the OPT as written
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(10)));
    }

    [Theory]
    [InlineData(TransportKind.Tcp, CookieStatus.None)]
    [InlineData(TransportKind.Udp, CookieStatus.Valid)]
    public void TcpAndAValidCookieAreNeverLimited(TransportKind transport, CookieStatus cookie)
    {
        var limiter = new ResponseRateLimiter(new RateLimiterOptions { ResponsesPerSecond = 1, Slip = 0, TableSize = 64 }, () => _now);
        var (response, questionEnd) = EdnsAnswer(out _);
        for (int i = 0; i < 50; i++) Assert.Equal(response.Length, RunFacts(limiter, response, transport, cookie, questionEnd, out _));
        Assert.Equal(0, limiter.Snapshot().Limited);
        // the same answer over UDP without the cookie is limited
        Assert.Equal(response.Length, RunFacts(limiter, response, TransportKind.Udp, CookieStatus.None, questionEnd, out _));
        Assert.Equal(0, RunFacts(limiter, response, TransportKind.Udp, CookieStatus.None, questionEnd, out _));
    }

    [Fact]
    public void ExemptPrefixesAreNeverLimited()
    {
        var (limiter, p) = Make(rate: 1, exempt: [IPNetwork.Parse("192.0.2.0/25"), IPNetwork.Parse("2001:db8::/32")]);
        byte[] query = Query("1.2.0.192.bl.test", 1);
        Assert.Equal(20, Answered(p, query, 20, [192, 0, 2, 1]));
        Assert.Equal(20, Answered(p, query, 20, V4Mapped(192, 0, 2, 100)));
        Assert.Equal(20, Answered(p, query, 20, IPAddress.Parse("2001:db8:ffff::1").GetAddressBytes()));
        Assert.Equal(0, Answered(p, query, 5, [192, 0, 2, 129]));  // same /24 key, outside the /25: the key is over already
        Assert.Equal(1, Answered(p, query, 5, IPAddress.Parse("2001:db9::1").GetAddressBytes()));
        Assert.Equal(5 + 4, limiter.Snapshot().Limited);
    }

    [Fact]
    public void DryRunCountsButSendsEverything()
    {
        var (limiter, p) = Make(rate: 2, slip: 2, dryRun: true);
        byte[] query = Query("1.2.0.192.bl.test", 1);
        int full = Ask(p, query, _response, Client);
        for (int i = 0; i < 11; i++) Assert.Equal(full, Ask(p, query, _response, Client));
        Assert.Equal(0, _response[2] & 0x02);
        var counters = limiter.Snapshot();
        Assert.Equal(10, counters.Limited);
        Assert.Equal(5, counters.Slipped);
        Assert.True(counters.DryRun);
    }

    [Fact]
    public void TheLimiterAllocatesNothingSendingSlippingOrDropping()
    {
        var (_, p) = Make(rate: 100, slip: 2);
        byte[] limited = Query("1.2.0.192.bl.test", 1, edns: new Edns(1232));
        byte[] response = new byte[4096];
        byte[] client = [192, 0, 2, 1];
        int n = 0;
        Assert.Equal(0, Allocations.PerThousandPasses(() => Ask(p, limited, response, client)));  // over the limit: slips and drops
        byte[][] distinct = [.. Enumerable.Range(0, 64).Select(i => Query($"{i}.2.0.192.bl.test", 1))];
        Assert.Equal(0, Allocations.PerThousandPasses(() => Ask(p, distinct[n++ & 63], response, [])));
    }

    [Fact]
    public void CaseFoldingFoldsLettersOnly()
    {
        var bytes = new byte[8];
        for (int b = 0; b < 256; b++)
        {
            Array.Fill(bytes, (byte)b);
            bytes[3] = (byte)'Q';
            ulong folded = KeyHash.FoldCase(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            byte expected = b is >= 'A' and <= 'Z' ? (byte)(b | 0x20) : (byte)b;
            Assert.Equal(expected, (byte)folded);
            Assert.Equal((byte)'q', (byte)(folded >> 24));
        }
    }

    [Theory]
    [InlineData(-1, 2, 24, 56, 1024, "ResponsesPerSecond")]
    [InlineData(5, -1, 24, 56, 1024, "Slip")]
    [InlineData(5, 2, 0, 56, 1024, "Ipv4PrefixLength")]
    [InlineData(5, 2, 24, 129, 1024, "Ipv6PrefixLength")]
    [InlineData(5, 2, 24, 56, 0, "TableSize")]
    public void BadOptionsAreNamed(int rate, int slip, int v4, int v6, int table, string key)
    {
        var options = new RateLimiterOptions { ResponsesPerSecond = rate, Slip = slip, Ipv4PrefixLength = v4, Ipv6PrefixLength = v6, TableSize = table };
        Assert.Contains(options.Validate(), e => e.StartsWith("RateLimit:" + key + " "));
        Assert.Empty(new RateLimiterOptions().Validate());
        Assert.Equal(1 << 20, new ResponseRateLimiter(new RateLimiterOptions { ResponsesPerSecond = 1 }).TableSize);
    }

    private static byte[] V4Mapped(byte a, byte b, byte c, byte d) => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, a, b, c, d];

    // A listed answer with EDNS, and where its question ends; the OPT (11 bytes, no options) is its last record.
    private (byte[] Response, int QuestionEnd) EdnsAnswer(out byte[] opt)
    {
        var processor = new QueryProcessor(new ResolverOptions(), _zones);
        byte[] query = Query("1.2.0.192.bl.test", 1, edns: new Edns(1232));
        int length = processor.Answer(query, _response, TransportKind.Udp, out _);
        opt = _response.AsSpan(length - 11, 11).ToArray();
        return (_response.AsSpan(0, length).ToArray(), query.Length - 11);
    }

    // Runs the limiter alone on hand-built facts (the cookie status other code fills in); returns what is sent.
    private static int RunFacts(ResponseRateLimiter limiter, byte[] response, TransportKind transport, CookieStatus cookie, int questionEnd, out bool truncated)
    {
        var facts = new AnswerFacts(QueryOutcome.Listed, 0, 1, QueryReadStatus.Ok, transport, 40, response.Length, questionEnd, false,
            Client, cookie, response.Length - 11);
        limiter.Run(ref facts, response.AsSpan(0, facts.ResponseBytes));
        truncated = facts.Truncated;
        return facts.ResponseBytes;
    }
}
