using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>Exempt allow-lists: an exempt address is never answered as listed, whatever the data says at any prefix length.</summary>
public sealed class ExemptTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private QueryProcessor Serve(string zoneText, string exemptText, IReadOnlyList<string>? exemptZones = null, string type = "ip4set")
    {
        _dir.Write("bl", zoneText);
        _dir.Write("other", "40.92.1.1\n");
        _dir.Write("exempt", exemptText);
        var result = ZoneSetLoader.Load(
            [ZoneSpec.Parse($"bl.test:{type}:bl"), ZoneSpec.Parse("other.test:ip4set:other")],
            new LoadOptions { WorkingDirectory = _dir.Path },
            exempt: [new ExemptSpec("eop", ["exempt"], exemptZones ?? [])]);
        Assert.True(result.Succeeded);
        return new QueryProcessor(new ResolverOptions(), result.ZoneSet);
    }

    private static QueryOutcome Outcome(QueryProcessor processor, string ip, string zone = "bl.test", ushort type = 255)
    {
        string reversed = string.Join('.', ip.Split('.').Reverse());
        processor.Answer(Query($"{reversed}.{zone}", type), new byte[4096], TransportKind.Udp, out var outcome);
        return outcome;
    }

    public static TheoryData<int> PrefixLengths() => [.. Enumerable.Range(8, 25)];

    [Theory]
    [MemberData(nameof(PrefixLengths))]
    public void ExemptRangeOverridesAListingOfAnyPrefixLength(int bits)
    {
        uint mask = bits == 32 ? uint.MaxValue : ~(uint.MaxValue >> bits);
        uint net = 0x285c0505u & mask; // inside 40.92.5.5
        string listed = $"{net >> 24}.{(net >> 16) & 255}.{(net >> 8) & 255}.{net & 255}/{bits}";
        foreach (string type in new[] { "ip4set", "ip4trie" })
        {
            var processor = Serve($"{listed} :2:listed\n", "# EOP\n40.92.0.0/15\n", type: type);
            Assert.Equal(QueryOutcome.Exempted, Outcome(processor, "40.92.5.5"));
            Assert.Equal(QueryOutcome.Exempted, Outcome(processor, "40.93.255.255", type: 16));
            if (bits <= 14) Assert.Equal(QueryOutcome.Listed, Outcome(processor, "40.94.0.1")); // listed, just outside the exemption
        }
    }

    [Fact]
    public void SingleAddressesRangesAndIpv6FormsInTheList()
    {
        var processor = Serve("10.0.0.0/8\n", "10.1.2.3\n10.2.0.0-10.2.0.255 # a range\n10.3.0.0/16\n\n2a01:111:f400::/48\n2001:db8::1-2001:db8::9\n");
        Assert.Equal(QueryOutcome.Exempted, Outcome(processor, "10.1.2.3"));
        Assert.Equal(QueryOutcome.Listed, Outcome(processor, "10.1.2.4"));
        Assert.Equal(QueryOutcome.Exempted, Outcome(processor, "10.2.0.200"));
        Assert.Equal(QueryOutcome.Listed, Outcome(processor, "10.2.1.0"));
        Assert.Equal(QueryOutcome.Exempted, Outcome(processor, "10.3.77.1"));
        var exempt = processor.Zones.Zones.Single(z => z.Name == "bl.test").Exempt.Single();
        Assert.True(exempt.Contains(UInt128.Parse("2a010111f4000000ffff000000000001", System.Globalization.NumberStyles.HexNumber)));
        Assert.False(exempt.Contains(UInt128.Parse("2a010111f4010000ffff000000000001", System.Globalization.NumberStyles.HexNumber)));
        Assert.True(exempt.Contains(UInt128.Parse("20010db8000000000000000000000005", System.Globalization.NumberStyles.HexNumber)));
        Assert.False(exempt.Contains(UInt128.Parse("20010db800000000000000000000000a", System.Globalization.NumberStyles.HexNumber)));
    }

    [Fact]
    public void ExemptionAppliesToTheNamedZonesOnly()
    {
        var processor = Serve("40.92.1.1\n", "40.92.0.0/15\n", exemptZones: ["bl.test"]);
        Assert.Equal(QueryOutcome.Exempted, Outcome(processor, "40.92.1.1"));
        Assert.Equal(QueryOutcome.Listed, Outcome(processor, "40.92.1.1", "other.test"));
    }

    [Fact]
    public void ExemptAnswerIsAPlainNxDomainAlsoFor6to4Names()
    {
        var processor = Serve("$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n40.92.1.1\n", "40.92.0.0/15\n");
        var response = new byte[512];
        int n = processor.Answer(Query("1.1.0.92.40.bl.test", 1), response, TransportKind.Udp, out _);
        var message = RawDnsClient.Parse(response[..n]);
        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.NxDomain, message.ReturnCode);
        Assert.Single(message.AuthorityRecords);
        // 2002:285c:0101::1 is the 6to4 name of 40.92.1.1
        string sixToFour = string.Join('.', "2002285c010100000000000000000001".Reverse());
        processor.Answer(Query(sixToFour + ".bl.test", 1), response, TransportKind.Udp, out var outcome);
        Assert.Equal(QueryOutcome.Exempted, outcome);
    }

    [Fact]
    public void BadLinesNameFileAndLine()
    {
        _dir.Write("exempt", "40.92.0.0/15\nnot an address\n2a01::zz/48\n");
        var result = Zones.Datasets.DatasetLoader.Load("exempt", ["exempt"], new LoadOptions { WorkingDirectory = _dir.Path });
        Assert.True(result.Succeeded);
        Assert.Equal(["exempt:2: unexpected text after the address", "exempt:3: invalid IPv6 address, CIDR or range"], result.Warnings.Select(w => w.ToString()));
    }
}
