using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Tests.Resolving;

public sealed class ExpiryTests
{
    [Fact]
    public void ExpiredZoneAnswersServfailWithoutAa()
    {
        using var dir = new ZoneDirectory();
        dir.Write("old", "$TIMESTAMP 2020:01:01 2021:01:01\n$SOA 60 ns.x hm.x 1 1 1 1 30\n127.0.0.2\n");
        dir.Write("new", "$TIMESTAMP 2020:01:01 +5000d\n127.0.0.2\n");
        var set = ZoneSetLoader.Load([ZoneSpec.Parse("old.test:ip4set:old"), ZoneSpec.Parse("new.test:ip4set:new")], new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        var processor = new QueryProcessor(new ResolverOptions(), set);
        var response = new byte[512];
        processor.Answer(DnsPacket.Query("2.0.0.127.old.test", 1), response, TransportKind.Udp, out var outcome);
        Assert.Equal(QueryOutcome.ServFail, outcome);
        Assert.Equal(2, response[3] & 15);
        Assert.Equal(0, response[2] & 0x04);
        processor.Answer(DnsPacket.Query("old.test", 6), response, TransportKind.Udp, out outcome); // the apex too, as rbldnsd
        Assert.Equal(QueryOutcome.ServFail, outcome);
        processor.Answer(DnsPacket.Query("2.0.0.127.new.test", 1), response, TransportKind.Udp, out outcome);
        Assert.Equal(QueryOutcome.Listed, outcome);
        Assert.NotEqual(0, processor.NextExpiry); // the reload service republishes when new.test expires
    }
}
