using System.Net;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>
/// ACLs in the resolver, for what the loopback differential tests cannot reach: IPv6 clients,
/// other client addresses, a failed ACL load, and the allocation budget (the rbldnsd comparison
/// is in Compatibility.Tests/AclDifferentialTests).
/// </summary>
public sealed class AclTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly byte[] _response = new byte[4096];

    public AclTests()
    {
        _dir.Write("data", "$SOA 60 ns.z.test hm.z.test 1 1 1 1 30\n$NS 60 ns.z.test\n:127.0.0.2:Listed $\n127.0.0.2\n");
        _dir.Write("six", "$SOA 60 ns.z.test hm.z.test 1 1 1 1 30\n2001:db8::/32 :3:v6 $\n");
        _dir.Write("exempt", "127.0.0.0/8\n");
    }

    public void Dispose() => _dir.Dispose();

    private QueryProcessor Serve(string zoneAcl, string? globalAcl = null, IReadOnlyList<ExemptSpec>? exempt = null)
    {
        _dir.Write("zacl", zoneAcl);
        var specs = new List<ZoneSpec> { ZoneSpec.Parse("z.test:ip4set:data"), ZoneSpec.Parse("z.test:acl:zacl"), ZoneSpec.Parse("six.test:ip6trie:six"), ZoneSpec.Parse("six.test:acl:zacl") };
        if (globalAcl is not null)
        {
            _dir.Write("gacl", globalAcl);
            specs.Add(ZoneSpec.Parse(":acl:gacl"));
        }
        var set = ZoneSetLoader.Load(specs, new LoadOptions { WorkingDirectory = _dir.Path }, exempt: exempt).ZoneSet;
        return new QueryProcessor(new ResolverOptions(), set);
    }

    private (int Length, QueryOutcome Outcome, byte[]? Answer) Ask(QueryProcessor processor, string name, ushort type, string client)
    {
        int length = processor.Answer(Query(name, type), _response, TransportKind.Udp, IPAddress.Parse(client).GetAddressBytes(), out var outcome);
        return (length, outcome, length == 0 ? null : _response[..length]);
    }

    private static readonly string Ip6Name = string.Join('.', "20010db8000000000000000000000001".Reverse()) + ".six.test";

    [Fact]
    public void IPv6ClientsMatchIPv6EntriesOnlyAndAreWrittenIntoTheText()
    {
        var processor = Serve("2001:db8:53::/48 :5:from $\n0/0 :refuse\n");
        var (_, outcome, answer) = Ask(processor, "2.0.0.127.z.test", 16, "2001:db8:53::9");
        Assert.Equal(QueryOutcome.Listed, outcome);
        Assert.Contains("\"from 2001:db8:53::9\"", AnswerSummary.From(answer).Text);
        // 0/0 is an IPv4 prefix: it does not cover an IPv6 client
        Assert.Equal(QueryOutcome.NxDomain, Ask(processor, "3.0.0.127.z.test", 1, "2001:db8:54::1").Outcome);
        Assert.Equal(QueryOutcome.AclRefused, Ask(processor, "3.0.0.127.z.test", 1, "192.0.2.1").Outcome);
        // the same ACL guards the IPv6 zone
        Assert.Equal(QueryOutcome.AclRefused, Ask(processor, Ip6Name, 1, "192.0.2.1").Outcome);
        Assert.Contains("\"from 2001:db8:53::9\"", AnswerSummary.From(Ask(processor, Ip6Name, 16, "2001:db8:53::9").Answer).Text);
    }

    [Fact]
    public void ZoneIgnoreSendsNothingButOtherZonesAnswer()
    {
        var processor = Serve("192.0.2.0/24 :ignore\n");
        var ignored = Ask(processor, "2.0.0.127.z.test", 1, "192.0.2.7");
        Assert.Equal((0, QueryOutcome.Ignored), (ignored.Length, ignored.Outcome));
        Assert.Equal(QueryOutcome.Listed, Ask(processor, "2.0.0.127.z.test", 1, "192.0.3.7").Outcome);
        Assert.Equal(QueryOutcome.Refused, Ask(processor, "foo.other", 1, "192.0.2.7").Outcome);
    }

    [Fact]
    public void GlobalIgnoreDropsEverythingFromTheClient()
    {
        var processor = Serve("10.0.0.0/8 :pass\n", globalAcl: "::/0 :ignore\n");
        Assert.Equal(QueryOutcome.Ignored, Ask(processor, "foo.other", 1, "::1").Outcome);
        Assert.Equal(QueryOutcome.Listed, Ask(processor, "2.0.0.127.z.test", 1, "127.0.0.1").Outcome);
        // an unknown client (no address given) matches no entry
        Assert.True(processor.Answer(Query("2.0.0.127.z.test", 1), _response, TransportKind.Udp, out var outcome) > 0);
        Assert.Equal(QueryOutcome.Listed, outcome);
    }

    [Fact]
    public void AnAclThatFailsToLoadIsNotApplied()
    {
        var specs = new[] { ZoneSpec.Parse("z.test:ip4set:data"), ZoneSpec.Parse("z.test:acl:missing") };
        var result = ZoneSetLoader.Load(specs, new LoadOptions { WorkingDirectory = _dir.Path });
        Assert.False(result.Succeeded);
        Assert.True(result.ZoneSet.Zones.Single().IsLoaded);
        var processor = new QueryProcessor(new ResolverOptions(), result.ZoneSet);
        Assert.Equal(QueryOutcome.Listed, Ask(processor, "2.0.0.127.z.test", 1, "127.0.0.1").Outcome);
    }

    [Fact]
    public void AnExemptAddressIsNotListedEvenForAnAlwaysListedClient()
    {
        var processor = Serve("127.0.0.1 :5:always\n", exempt: [new ExemptSpec("e", ["exempt"], [])]);
        Assert.Equal(QueryOutcome.Exempted, Ask(processor, "9.0.0.127.z.test", 1, "127.0.0.1").Outcome);
        Assert.Equal(QueryOutcome.Listed, Ask(processor, "9.0.0.128.z.test", 1, "127.0.0.1").Outcome);
    }

    [Fact]
    public void AclAnswersAllocateNothing()
    {
        var processor = Serve("127.0.0.1 :5:always $\n::1 :empty\n10.0.0.1 :refuse\n", globalAcl: "192.0.2.1 :ignore\n");
        (byte[] Query, byte[] Client)[] queries =
        [
            (Query("2.0.0.127.z.test", 255), [127, 0, 0, 1]),
            (Query(Ip6Name, 16), [127, 0, 0, 1]),
            (Query("2.0.0.127.z.test", 255), IPAddress.IPv6Loopback.GetAddressBytes()),
            (Query("2.0.0.127.z.test", 1), [10, 0, 0, 1]),
            (Query("2.0.0.127.z.test", 1), [192, 0, 2, 1]),
            (Query("2.0.0.127.z.test", 16), [192, 0, 2, 2]),
        ];
        Assert.Equal(0, Allocations.PerThousandPasses(() => { foreach (var (q, client) in queries) processor.Answer(q, _response, TransportKind.Udp, client, out _); }));
        var outcomes = queries.Select(x => { processor.Answer(x.Query, _response, TransportKind.Udp, x.Client, out var o); return o; });
        Assert.Equal([QueryOutcome.Listed, QueryOutcome.Listed, QueryOutcome.NxDomain, QueryOutcome.AclRefused, QueryOutcome.Ignored, QueryOutcome.Listed], outcomes);
    }
}
