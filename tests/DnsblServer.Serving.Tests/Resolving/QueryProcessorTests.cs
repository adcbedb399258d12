using ARSoft.Tools.Net.Dns;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>The resolver with bytes in and bytes out, no sockets (Knot-style), decoded by ARSoft.</summary>
public sealed class QueryProcessorTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly QueryProcessor _processor;

    public QueryProcessorTests()
    {
        _dir.Write("bl", """
            $SOA 3600 ns1.example.net hostmaster.example.net 7 600 300 86400 120
            $NS 3600 ns1.example.net ns2.example.net
            :127.0.0.2:Listed $
            127.0.0.2
            10.0.0.0/24 :3:net $

            """);
        _dir.Write("other", "127.0.0.2 :4:other\n");
        var specs = new[] { ZoneSpec.Parse("bl.test:ip4set:bl"), ZoneSpec.Parse("bl.test:ip4trie:other"), ZoneSpec.Parse("sub.bl.test:ip4set:other") };
        _processor = new QueryProcessor(new ResolverOptions(), ZoneSetLoader.Load(specs, new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet);
    }

    public void Dispose() => _dir.Dispose();

    private (DnsMessage Message, QueryOutcome Outcome) Ask(byte[] query, TransportKind transport = TransportKind.Udp)
    {
        var response = new byte[65535];
        int n = _processor.Answer(query, response, transport, out var outcome);
        Assert.True(n > 0);
        return (RawDnsClient.Parse(response[..n]), outcome);
    }

    [Fact]
    public void ListedAddressGetsEveryDatasetsRecords()
    {
        var (m, outcome) = Ask(Query("2.0.0.127.bl.test", 255));
        Assert.Equal(QueryOutcome.Listed, outcome);
        Assert.True(m.IsAuthoritiveAnswer);
        Assert.Equal(["127.0.0.2", "127.0.0.4"], m.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order());
        Assert.Equal(["Listed 127.0.0.2", "other"], m.AnswerRecords.OfType<TxtRecord>().Select(r => string.Concat(r.TextParts)).Order());
        Assert.Equal(2, m.AuthorityRecords.OfType<NsRecord>().Count());
    }

    [Theory]
    [InlineData("1.0.0.127.bl.test", 1, QueryOutcome.NxDomain, ReturnCode.NxDomain)]
    [InlineData("2.0.0.127.bl.test", 28, QueryOutcome.NoData, ReturnCode.NoError)]
    [InlineData("bl.test", 1, QueryOutcome.NoData, ReturnCode.NoError)]
    [InlineData("bl.test", 6, QueryOutcome.Listed, ReturnCode.NoError)]
    [InlineData("0.10.bl.test", 1, QueryOutcome.NoData, ReturnCode.NoError)]     // RFC 8020
    [InlineData("nothere.test", 1, QueryOutcome.Refused, ReturnCode.Refused)]
    [InlineData("bl.test", 252, QueryOutcome.NotImplemented, ReturnCode.NotImplemented)]
    public void Outcomes(string name, ushort type, QueryOutcome expected, ReturnCode rcode)
    {
        var (m, outcome) = Ask(Query(name, type));
        Assert.Equal(expected, outcome);
        Assert.Equal(rcode, m.ReturnCode);
    }

    [Fact]
    public void NegativeAnswersCarryTheSoaWithItsMinimumAsTtl()
    {
        var (m, _) = Ask(Query("1.0.0.127.bl.test", 1));
        var soa = Assert.IsType<SoaRecord>(Assert.Single(m.AuthorityRecords));
        Assert.Equal(120, soa.TimeToLive);
        Assert.Equal(7u, soa.SerialNumber);
    }

    [Fact]
    public void SubzoneIsServedByItsOwnDatasets()
    {
        var (m, _) = Ask(Query("2.0.0.127.sub.bl.test", 16));
        Assert.Equal("other", string.Concat(Assert.IsType<TxtRecord>(Assert.Single(m.AnswerRecords)).TextParts));
    }

    [Fact]
    public void PublishSwapsTheDataForTheNextQuery()
    {
        _dir.Write("new", "192.0.2.1\n");
        var zones = ZoneSetLoader.Load([ZoneSpec.Parse("bl.test:ip4set:new")], new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
        _processor.Publish(zones);
        Assert.Equal(QueryOutcome.NxDomain, Ask(Query("2.0.0.127.bl.test", 1)).Outcome);
        Assert.Equal(QueryOutcome.Listed, Ask(Query("1.2.0.192.bl.test", 1)).Outcome);
    }

    [Fact]
    public void MalformedPacketsAreDroppedOrFormErr()
    {
        var response = new byte[512];
        Assert.Equal(0, _processor.Answer([1, 2, 3], response, TransportKind.Udp, out var outcome));
        Assert.Equal(QueryOutcome.Dropped, outcome);
        // two OPT records: FORMERR
        byte[] twoOpts = Concat(Header(1, FlagRd, 1, arCount: 2), Question("2.0.0.127.bl.test", 1, 1), Opt(new Edns()), Opt(new Edns()));
        Assert.Equal(ReturnCode.FormatError, Ask(twoOpts).Message.ReturnCode);
        // random garbage never throws
        var random = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            var packet = new byte[random.Next(0, 80)];
            random.NextBytes(packet);
            if (packet.Length > 5 && i % 2 == 0) { packet[2] &= 0x7f; packet[4] = 0; packet[5] = 1; } // mostly valid headers
            _processor.Answer(packet, response, TransportKind.Udp, out _);
        }
    }

    [Fact]
    public void QueryPathAllocatesNothing()
    {
        byte[][] queries =
        [
            Query("2.0.0.127.bl.test", 255), Query("1.0.0.127.bl.test", 1), Query("5.0.0.10.bl.test", 16),
            Query("bl.test", 255), Query("2.0.0.127.bl.test", 16, edns: new Edns(4096)), Query("x.other", 1),
            Query("0.10.bl.test", 1), Query("2.0.0.127.sub.bl.test", 16),
        ];
        var response = new byte[4096];
        Assert.Equal(0, Allocations.PerThousandPasses(() => { foreach (var q in queries) _processor.Answer(q, response, TransportKind.Udp, out _); }));
    }

    [Fact]
    public void QueryLogCostsTheQueryPathNoAllocation()
    {
        string path = Path.Combine(_dir.Path, "query.log");
        using (var log = new Serving.QueryLog.QueryLogWriter(path, unbuffered: false))
        {
            var processor = new QueryProcessor(new ResolverOptions(), _processor.Zones) { AfterAnswer = new AfterAnswerStage(log) };
            byte[] query = Query("2.0.0.127.bl.test", 16);
            byte[] client = [192, 0, 2, 7];
            var response = new byte[512];
            Assert.Equal(0, Allocations.PerThousandPasses(() => processor.Process(query, response, TransportKind.Udp, client)));
        }
        string[] lines = File.ReadAllLines(path);
        Assert.True(lines.Length > 1000, $"{lines.Length} lines");
        Assert.EndsWith(" 192.0.2.7 2.0.0.127.bl.test TXT IN: NOERROR/2/" + lines[0].Split('/')[^1], lines[0]);
    }
}
