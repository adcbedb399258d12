using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Tests.Resolving;

public sealed class GlueTests
{
    [Fact]
    public void GlueComesFromGenericARecordsOfServedZones()
    {
        using var dir = new ZoneDirectory();
        dir.Write("gl", "$SOA 3600 ns1.g.example hostmaster.g.example 4 600 300 86400 120\n$NS 3600 ns1.g.example ns2.example.net ns3.g.example\n127.0.0.2\n");
        dir.Write("glgen", "ns1 A 127.0.0.53\nns1 A 127.0.0.54\nns3 600 A 127.0.0.55\n");
        var set = ZoneSetLoader.Load([ZoneSpec.Parse("g.example:ip4set:gl"), ZoneSpec.Parse("g.example:generic:glgen")], new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        var served = new ServedZone(set.Zones[0], 0, set);
        // as rbldnsd: every glue record gets the smallest glue TTL (600), and each address appears once
        Assert.Equal([(0, 0x7f000035u, 600u), (0, 0x7f000036u, 600u), (2, 0x7f000037u, 600u)], served.Glue.Select(g => (g.NameIndex, g.Address, g.Ttl)));
    }
}
