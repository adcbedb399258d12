using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>The query path allocates nothing for the IPv6, domain and generic datasets and with exemptions, as for IPv4.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void EveryDatasetTypeAnswersWithoutAllocating()
    {
        using var dir = new ZoneDirectory();
        dir.Write("six", "$SOA 60 ns.x hm.x 1 1 1 1 30\n$NS 60 ns1.g.test\n:127.0.0.2:v6 $\n2001:db8::/32\n");
        dir.Write("dn", ":127.0.0.2:domain $\nbad.example\n*.wild.example\n");
        dir.Write("gen", "@ TXT apex\nns1 A 127.0.0.53\nwww A 127.0.0.9\n");
        dir.Write("exempt", "2001:db8:ffff::/48\n");
        var set = ZoneSetLoader.Load(
            [ZoneSpec.Parse("six.test:ip6trie:six"), ZoneSpec.Parse("dbl.test:dnset:dn"), ZoneSpec.Parse("g.test:generic:gen")],
            new LoadOptions { WorkingDirectory = dir.Path },
            exempt: [new ExemptSpec("e", ["exempt"], [])]).ZoneSet;
        var processor = new QueryProcessor(new ResolverOptions(), set);
        string six = string.Join('.', "20010db8000000000000000000000001".Reverse());
        string exempt = string.Join('.', "20010db8ffff00000000000000000001".Reverse());
        byte[][] queries =
        [
            Query(six + ".six.test", 255), Query(exempt + ".six.test", 16), Query("bad.example.dbl.test", 16),
            Query("a.wild.example.dbl.test", 255), Query("good.example.dbl.test", 1), Query("www.g.test", 1), Query("g.test", 255),
        ];
        var response = new byte[4096];
        Assert.Equal(0, Allocations.PerThousandPasses(() => { foreach (var q in queries) processor.Answer(q, response, TransportKind.Udp, out _); }));
        processor.Answer(queries[1], response, TransportKind.Udp, out var outcome);
        Assert.Equal(QueryOutcome.Exempted, outcome);
        processor.Answer(queries[3], response, TransportKind.Udp, out outcome);
        Assert.Equal(QueryOutcome.Listed, outcome);
    }
}
