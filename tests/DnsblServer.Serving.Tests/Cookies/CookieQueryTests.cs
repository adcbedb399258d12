using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Serving.Cookies;
using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Tests.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Cookies;

/// <summary>RFC 7873 §5.2 through the query processor, bytes in and bytes out: what each kind of COOKIE option gets back.</summary>
public sealed class CookieQueryTests : IDisposable
{
    private const long Now = 1_700_000_000;
    private static readonly byte[] Client = [192, 0, 2, 7];
    private static readonly byte[] ClientCookie = Convert.FromHexString("2464c4abcf10c957");
    private static readonly CookieSecret Secret = ServerCookiesTests.Secret("e5e973e5a6b2a43f48e7dc849e37bfcf");
    private static readonly CookieSecret Earlier = ServerCookiesTests.Secret("dd3bdf9344b678b185a6f5cb60fca715");

    private readonly ZoneDirectory _dir = new();
    private readonly ZoneSet _zones;
    private readonly FixedClock _clock = new(Now);
    private readonly Facts _seen = new();
    private readonly byte[] _response = new byte[65535];

    public CookieQueryTests()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 7 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        _dir.Write("big", string.Concat(Enumerable.Range(0, 40).Select(i => $"many A 127.0.1.{i}\n")));
        _zones = ZoneSetLoader.Load([ZoneSpec.Parse("bl.test:ip4set:bl"), ZoneSpec.Parse("g.test:generic:big")],
            new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
    }

    public void Dispose() => _dir.Dispose();

    private QueryProcessor Processor(bool cookies = true, CookieSecret? previous = null, CookieSecret? secret = null) =>
        new(new ResolverOptions(), _zones)
        {
            Cookies = cookies ? new ServerCookies(secret ?? Secret, previous, _clock) : null,
            AfterAnswer = new AfterAnswerStage(_seen),
        };

    internal static byte[] CookieOption(byte[] data)
    {
        var option = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(option, 10);
        BinaryPrimitives.WriteUInt16BigEndian(option.AsSpan(2), (ushort)data.Length);
        data.CopyTo(option, 4);
        return option;
    }

    private static byte[] Ask(string name, byte[]? cookie, ushort udpSize = 1232, byte version = 0) =>
        Query(name, 1, edns: new Edns(udpSize, version, OptionData: cookie is null ? null : CookieOption(cookie)));

    private (DnsMessage Message, byte[]? Cookie) Send(QueryProcessor processor, byte[] query, TransportKind transport = TransportKind.Udp, byte[]? client = null)
    {
        int n = processor.Process(query, _response, transport, client ?? Client);
        Assert.True(n > 0);
        var message = RawDnsClient.Parse(_response[..n]);
        // the OPT RR is the last record, and the facts say where (the rate limiter keeps those bytes)
        Assert.Equal(n, _seen.ResponseBytes);
        Assert.Equal(0, _response[_seen.OptOffset]);
        Assert.Equal(41, BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(_seen.OptOffset + 1)));
        Assert.Equal(n, _seen.OptOffset + 11 + BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(_seen.OptOffset + 9)));
        var option = message.EDnsOptions?.Options.OfType<CookieOption>().SingleOrDefault();
        return (message, option is null ? null : [.. option.ClientCookie, .. option.ServerCookie ?? []]);
    }

    [Fact]
    public void NoCookieIsAnsweredAsBefore()
    {
        var (m, cookie) = Send(Processor(), Ask("1.2.0.192.bl.test", null));
        Assert.Null(cookie);
        Assert.Equal(CookieStatus.None, _seen.Cookie);
        Assert.Single(m.AnswerRecords);
    }

    [Fact]
    public void ClientCookieAloneGetsAFreshServerCookie()
    {
        var (m, cookie) = Send(Processor(), Ask("1.2.0.192.bl.test", ClientCookie));
        Assert.Equal(CookieStatus.ClientOnly, _seen.Cookie);
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Single(m.AnswerRecords);
        Assert.NotNull(cookie);
        Assert.Equal(24, cookie.Length);
        Assert.Equal(ClientCookie, cookie[..8]);
        Assert.Equal("01000000", Convert.ToHexString(cookie, 8, 4));
        Assert.Equal((uint)Now, BinaryPrimitives.ReadUInt32BigEndian(cookie.AsSpan(12)));
        Assert.True(new ServerCookies(Secret).IsValid(cookie, Client, (uint)Now));
    }

    [Theory]
    [InlineData(TransportKind.Udp)]
    [InlineData(TransportKind.Tcp)]
    public void TheServerCookieComesBackValidAndIsRenewed(TransportKind transport)
    {
        var processor = Processor();
        var (_, first) = Send(processor, Ask("1.2.0.192.bl.test", ClientCookie), transport);
        _clock.UnixSeconds += 1800;
        var (m, second) = Send(processor, Ask("2.2.0.192.bl.test", first), transport);
        Assert.Equal(CookieStatus.Valid, _seen.Cookie);
        Assert.Equal(ReturnCode.NxDomain, m.ReturnCode);
        Assert.Equal((uint)(Now + 1800), BinaryPrimitives.ReadUInt32BigEndian(second.AsSpan(12)));
    }

    [Fact]
    public void InvalidServerCookiesAreStillAnswered()
    {
        var processor = Processor();
        var (_, cookie) = Send(processor, Ask("1.2.0.192.bl.test", ClientCookie));

        var (m, fresh) = Send(processor, Ask("1.2.0.192.bl.test", cookie), client: [192, 0, 2, 8]); // another address
        Assert.Equal(CookieStatus.Invalid, _seen.Cookie);
        Assert.Single(m.AnswerRecords);
        Assert.True(new ServerCookies(Secret).IsValid(fresh, [192, 0, 2, 8], (uint)Now));

        _clock.UnixSeconds += 3601; // more than an hour old
        (m, _) = Send(processor, Ask("1.2.0.192.bl.test", cookie));
        Assert.Equal(CookieStatus.Invalid, _seen.Cookie);
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Single(m.AnswerRecords);

        var foreign = (byte[])cookie!.Clone();
        foreign[23] ^= 1;
        _clock.UnixSeconds = Now;
        Send(processor, Ask("1.2.0.192.bl.test", foreign));
        Assert.Equal(CookieStatus.Invalid, _seen.Cookie);
    }

    [Fact]
    public void ThePreviousSecretIsAcceptedAfterARollover()
    {
        var (_, cookie) = Send(Processor(secret: Earlier), Ask("1.2.0.192.bl.test", ClientCookie));
        var (_, renewed) = Send(Processor(previous: Earlier), Ask("1.2.0.192.bl.test", cookie));
        Assert.Equal(CookieStatus.Valid, _seen.Cookie);
        Assert.True(new ServerCookies(Secret).IsValid(renewed, Client, (uint)Now)); // made with the new one
        Send(Processor(), Ask("1.2.0.192.bl.test", cookie));
        Assert.Equal(CookieStatus.Invalid, _seen.Cookie);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(41)]
    public void MalformedCookiesAreFormErr(int length)
    {
        var (m, cookie) = Send(Processor(), Ask("1.2.0.192.bl.test", new byte[length]));
        Assert.Equal(ReturnCode.FormatError, m.ReturnCode);
        Assert.Empty(m.AnswerRecords);
        Assert.Null(cookie);
        Assert.Equal(CookieStatus.Malformed, _seen.Cookie);
        Assert.Equal(QueryOutcome.FormErr, _seen.Outcome);
    }

    [Fact]
    public void CookiesOffIgnoresTheOption()
    {
        foreach (var data in new[] { ClientCookie, new byte[12] })
        {
            var (m, cookie) = Send(Processor(cookies: false), Ask("1.2.0.192.bl.test", data));
            Assert.Null(cookie);
            Assert.Equal(ReturnCode.NoError, m.ReturnCode);
            Assert.Equal(CookieStatus.None, _seen.Cookie);
        }
    }

    [Fact]
    public void BadVersionRepliesCarryNoCookie()
    {
        var (m, cookie) = Send(Processor(), Ask("1.2.0.192.bl.test", ClientCookie, version: 1));
        Assert.Equal(ReturnCode.BadVersion, m.ReturnCode);
        Assert.Null(cookie);
        Assert.Equal(CookieStatus.None, _seen.Cookie);
    }

    [Fact]
    public void TheCookiesRoomIsKeptWhenTheAnswerFillsThePacket()
    {
        // 40 A records (16 bytes each) do not fit in 512: the answer is cut and TC set, and the cookie still goes
        int n = Processor().Process(Ask("many.g.test", ClientCookie, udpSize: 512), _response, TransportKind.Udp, Client);
        Assert.True(n <= 512);
        var message = RawDnsClient.Parse(_response[..n]);
        Assert.True(message.IsTruncated);
        Assert.NotNull(message.EDnsOptions?.Options.OfType<CookieOption>().SingleOrDefault());
        Assert.Equal(n - 11 - 28, _seen.OptOffset);
    }

    [Fact]
    public void TheCountersCountEachStatus()
    {
        var counters = new QueryCounters(_zones.Zones.Count);
        var processor = new QueryProcessor(new ResolverOptions(), _zones)
        {
            Cookies = new ServerCookies(Secret, time: _clock),
            AfterAnswer = new AfterAnswerStage(counters, _seen),
        };
        var (_, cookie) = Send(processor, Ask("1.2.0.192.bl.test", ClientCookie));
        Send(processor, Ask("1.2.0.192.bl.test", cookie));
        Send(processor, Ask("1.2.0.192.bl.test", cookie));
        Send(processor, Ask("1.2.0.192.bl.test", new byte[24]));
        Send(processor, Ask("1.2.0.192.bl.test", new byte[3]));
        Send(processor, Ask("1.2.0.192.bl.test", null));
        var s = counters.Snapshot();
        Assert.Equal([0, 1, 2, 1, 1], Enum.GetValues<CookieStatus>().Select(s.Cookies));
    }

    [Fact]
    public void CookieQueriesAllocateNothing()
    {
        var processor = Processor();
        byte[] first = Ask("1.2.0.192.bl.test", ClientCookie);
        processor.Process(first, _response, TransportKind.Udp, Client);
        var (_, cookie) = Send(processor, first);
        byte[][] queries = [first, Ask("2.2.0.192.bl.test", cookie), Ask("1.2.0.192.bl.test", new byte[24]), Ask("1.2.0.192.bl.test", new byte[9])];
        byte[] v6 = [.. Enumerable.Repeat((byte)0x20, 16)];
        Assert.Equal(0, Allocations.PerThousandPasses(() =>
        {
            foreach (var q in queries)
            {
                processor.Process(q, _response, TransportKind.Udp, Client);
                processor.Process(q, _response, TransportKind.Tcp, v6);
            }
        }));
    }

    private sealed class Facts : IAfterAnswerStep
    {
        public CookieStatus Cookie;
        public int OptOffset;
        public int ResponseBytes;
        public QueryOutcome Outcome;

        public void Run(ref AnswerFacts facts, Span<byte> response) =>
            (Cookie, OptOffset, ResponseBytes, Outcome) = (facts.Cookie, facts.OptOffset, facts.ResponseBytes, facts.Outcome);
    }
}
