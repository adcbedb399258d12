using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Overlay;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Values;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>Pushed entries (an overlay over the IPv4 and IPv6 maps) keep the query path allocation-free.</summary>
public sealed class OverlayAllocationTests
{
    [Fact]
    public void QueriesThroughOverlaysAllocateNothing()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", ":127.0.0.2:Listed $\n10.0.0.0/8\n192.0.2.1\n");
        dir.Write("six", ":127.0.0.2:v6 $\n2001:db8::/32\n");
        var loaded = ZoneSetLoader.Load(
            [ZoneSpec.Parse("bl.test:ip4set:bl"), ZoneSpec.Parse("six.test:ip6trie:six")],
            new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        Assert.True(OverlayValue.TryParse(":127.0.0.3:Pushed $", out DnsblValue? pushed, out _));
        var four = PrefixOverlay<uint>.Build([new(0xC6336400, 24, pushed), new(0x0A010000, 16, null), new(0x0A010200, 24, pushed)]);
        var six = PrefixOverlay<UInt128>.Build([new((UInt128)0x20010db9 << 96, 32, pushed), new((UInt128)0x20010db8_00010000 << 64, 32 + 16, null)]);
        var set = loaded.WithDatasets(new Dictionary<string, ZoneDataset>
        {
            ["ip4set:bl"] = loaded.Datasets["ip4set:bl"] with { Dataset = ((Ip4Dataset)loaded.Datasets["ip4set:bl"].Dataset!).WithOverlay(four) },
            ["ip6trie:six"] = loaded.Datasets["ip6trie:six"] with { Dataset = ((Ip6Dataset)loaded.Datasets["ip6trie:six"].Dataset!).WithOverlay(six) },
        });
        var processor = new QueryProcessor(new ResolverOptions(), set);
        string V6(string hex) => string.Join('.', hex.Reverse()) + ".six.test";
        byte[][] queries =
        [
            Query("7.100.51.198.bl.test", 16), // pushed
            Query("3.2.1.10.bl.test", 255),    // pushed /24 inside a removed /16
            Query("3.3.1.10.bl.test", 1),      // removed
            Query("1.2.0.192.bl.test", 16),    // the file
            Query("1.10.bl.test", 1),          // an empty non-terminal: HasEntriesIn through the overlay
            Query(V6("20010db9000000000000000000000001"), 16),
            Query(V6("20010db8000100000000000000000001"), 1),
            Query(V6("20010db8000200000000000000000001"), 255),
        ];
        var response = new byte[4096];
        Assert.Equal(0, Allocations.PerThousandPasses(() => { foreach (var q in queries) processor.Answer(q, response, TransportKind.Udp, out _); }));

        QueryOutcome Outcome(byte[] q)
        {
            processor.Answer(q, response, TransportKind.Udp, out var outcome);
            return outcome;
        }
        Assert.Equal(QueryOutcome.Listed, Outcome(queries[0]));
        Assert.Equal(QueryOutcome.Listed, Outcome(queries[1]));
        Assert.NotEqual(QueryOutcome.Listed, Outcome(queries[2]));
        Assert.Equal(QueryOutcome.Listed, Outcome(queries[3]));
        Assert.Equal(QueryOutcome.Listed, Outcome(queries[5]));
        Assert.NotEqual(QueryOutcome.Listed, Outcome(queries[6]));
        Assert.Equal(QueryOutcome.Listed, Outcome(queries[7]));
    }
}
