using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>Combined subzones on the query path: no allocation, and our own additions (exempt lists, RFC 8020) apply inside subzones too.</summary>
public sealed class CombinedResolvingTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly QueryProcessor _processor;

    public CombinedResolvingTests()
    {
        _dir.Write("comb", """
            $SOA 60 ns1.c.test hm.c.test 1 1 1 1 30
            $NS 60 ns1.c.test
            $DATASET ip4set @
            :127.0.0.2:base $
            127.0.0.2
            $DATASET ip4trie bl
            10.0.0.0/8 :3:trie $
            $DATASET dnset dbl
            bad.example
            $DATASET generic @ gen
            ns1 A 127.0.0.53
            www A 127.0.0.9
            $DATASET ip6trie v6
            2001:db8::/32 :6:six $

            """);
        _dir.Write("exempt", "10.9.0.0/16\n");
        var set = ZoneSetLoader.Load(
            [ZoneSpec.Parse("c.test:combined:comb")],
            new LoadOptions { WorkingDirectory = _dir.Path },
            exempt: [new ExemptSpec("e", ["exempt"], [])]).ZoneSet;
        _processor = new QueryProcessor(new ResolverOptions(), set);
    }

    public void Dispose() => _dir.Dispose();

    private (QueryOutcome Outcome, string Text) Ask(string name, ushort type)
    {
        var response = new byte[4096];
        int length = _processor.Answer(Query(name, type), response, TransportKind.Udp, out var outcome);
        return (outcome, AnswerSummary.From(response[..length]).Text);
    }

    [Fact]
    public void SubzonesAnswerWithoutAllocating()
    {
        string six = string.Join('.', "20010db8000000000000000000000001".Reverse());
        byte[][] queries =
        [
            Query("2.0.0.127.c.test", 255), Query("1.2.3.10.bl.c.test", 16), Query("bl.c.test", 1), Query("bad.example.dbl.c.test", 16),
            Query("www.gen.c.test", 1), Query("c.test", 255), Query(six + ".v6.c.test", 16), Query("x.nothere.c.test", 1),
            Query("1.0.9.10.bl.c.test", 1), Query("0.10.bl.c.test", 1),
        ];
        var response = new byte[4096];
        Assert.Equal(0, Allocations.PerThousandPasses(() => { foreach (var q in queries) _processor.Answer(q, response, TransportKind.Udp, out _); }));
    }

    [Theory]
    [InlineData("1.2.3.10.bl.c.test", 16, QueryOutcome.Listed)]
    [InlineData("bl.c.test", 1, QueryOutcome.NoData)]           // a subzone apex exists
    [InlineData("x.bl.c.test", 1, QueryOutcome.NxDomain)]
    [InlineData("1.0.9.10.bl.c.test", 1, QueryOutcome.Exempted)] // the zone's exempt lists apply in its subzones
    [InlineData("2.10.bl.c.test", 1, QueryOutcome.NoData)]       // RFC 8020: entries beneath, in the subzone
    [InlineData("2.11.bl.c.test", 1, QueryOutcome.NxDomain)]     // nothing beneath 11.2/16
    public void OutcomesInSubzones(string name, ushort type, QueryOutcome expected)
    {
        Assert.Equal(expected, Ask(name, type).Outcome);
    }

    [Fact]
    public void GlueComesFromTheGenericDataOfASubzone()
    {
        var (outcome, text) = Ask("2.0.0.127.c.test", 1);
        Assert.Equal(QueryOutcome.Listed, outcome);
        Assert.True(text.Contains("127.0.0.53", StringComparison.Ordinal), text);
    }
}
