using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// Zone and global ACLs, answered by rbldnsd and by us from the same files. The client is 127.0.0.1
/// (both servers listen on loopback), so each ACL line for 127.0.0.1 decides the action.
/// </summary>
public sealed class AclDifferentialTests
{
    // Both sides get a short timeout: "no reply" is an answer here, and both must give it.
    private static readonly TimeSpan NoReplyWait = TimeSpan.FromMilliseconds(400);

    private static readonly (string Name, ushort Type, ushort Class)[] Queries =
    [
        ("2.0.0.127.z.example", 1, ClassIn),      // listed
        ("2.0.0.127.z.example", 16, ClassIn),
        ("2.0.0.127.z.example", 255, ClassIn),
        ("3.0.0.127.z.example", 1, ClassIn),      // not listed
        ("3.0.0.127.z.example", 16, ClassIn),
        ("2.0.0.127.z.example", 28, ClassIn),     // other qtype
        ("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.z.example", 16, ClassIn), // v4-mapped name
        ("1.0.127.z.example", 1, ClassIn),        // three labels
        ("z.example", 6, ClassIn),                // apex
        ("z.example", 2, ClassIn),
        ("z.example", 255, ClassIn),
        ("z.example", 1, ClassIn),                // generic @ A
        ("z.example", 16, ClassIn),
        ("www.z.example", 1, ClassIn),            // generic name
        ("www.z.example", 255, ClassIn),
        ("www.z.example", 28, ClassIn),
        ("foo.z.example", 1, ClassIn),            // nothing
        ("z.example", 252, ClassIn),              // AXFR: NOTIMP
        ("2.0.0.127.z.example", 1, ClassCh),
        ("2.0.0.127.w.example", 255, ClassIn),    // two ip4 datasets under one ACL
        ("9.0.0.127.w.example", 16, ClassIn),
        ("bad.example.com.d.example", 255, ClassIn), // dnset
        ("good.example.com.d.example", 16, ClassIn),
        ("d.example", 1, ClassIn),
        ("d.example", 255, ClassIn),
        ("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.six.example", 255, ClassIn), // ip6trie, listed
        ("2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.9.b.d.0.1.0.0.2.six.example", 1, ClassIn),   // not listed
        ("2.0.0.127.y.example", 255, ClassIn),    // a zone without its own ACL
        ("3.0.0.127.y.example", 1, ClassIn),
        ("y.example", 6, ClassIn),
        ("foo.other", 1, ClassIn),                // outside our zones
        ("version.bind", 16, ClassCh),
    ];

    public static TheoryData<string, string?, string> Scenarios => new()
    {
        // name, global ACL (null = none), the zones' ACL
        { "zone refuse", null, "127.0.0.1 :refuse\n" },
        { "zone ignore", null, "127.0.0.0/8 :ignore\n" },
        { "zone blackhole prefix", null, "127.0.0.1 :black\n" },
        { "zone empty", null, "127.0.0.1 :empty\n" },
        { "zone pass", null, "127.0.0.0/8 :refuse\n127.0.0.1 :pass\n" },
        { "zone always listed", null, "$TTL 77\n127.0.0.1 :5:always $ here\n" },
        { "zone always listed without txt", null, "127.0.0.1 :6:\n" },
        { "zone default ignore", null, ":refuse\n10.0.0.0/8\n127.0.0.1\n" },
        { "zone other client", null, "10.0.0.1 :refuse\n::1 :refuse\n" },
        { "global refuse", "127.0.0.1 :refuse\n", "10.0.0.1 :pass\n" },
        { "global empty", "127.0.0.1 :empty\n", "10.0.0.1 :pass\n" },
        { "global always", "$TTL 66\n127.0.0.1 :5:global $\n", "10.0.0.1 :pass\n" },
        { "global pass zone refuse", "127.0.0.1 :pass\n", "127.0.0.1 :refuse\n" },
        { "global refuse zone ignore", "127.0.0.1 :refuse\n", "127.0.0.1 :ignore\n" },
        { "global empty zone refuse", "127.0.0.1 :empty\n", "127.0.0.1 :refuse\n" },
        { "global refuse zone empty", "127.0.0.1 :refuse\n", "127.0.0.1 :empty\n" },
        { "global always zone empty", "127.0.0.1 :5:global\n", "127.0.0.1 :empty\n" },
        { "global empty zone always", "127.0.0.1 :empty\n", "127.0.0.1 :6:zone\n" },
        { "both always", "$TTL 77\n127.0.0.1 :5:global\n", "$TTL 88\n127.0.0.1 :6:zone $\n" },
        { "global pass zone always", "127.0.0.1 :pass\n", "127.0.0.1 :6:zone $\n" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void SameAnswersUnderEveryAcl(string scenario, string? globalAcl, string zoneAcl)
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        dir.Write("data", """
            $SOA 3600 ns1.example.net hostmaster.example.net 5 600 300 86400 120
            $NS 3600 ns1.example.net ns2.example.net
            :127.0.0.2:Listed $
            127.0.0.2
            9.9.9.9 :4:other

            """);
        dir.Write("more", "127.0.0.9 :7:more $\n127.0.0.2 :8\n");
        dir.Write("gen", "@ A 127.0.0.10\nwww A 127.0.0.9\nwww TXT web\n");
        dir.Write("dn", "$SOA 3600 ns1.example.net hostmaster.example.net 6 600 300 86400 120\n:127.0.0.2:Domain $\nbad.example.com\n");
        dir.Write("six", "$SOA 3600 ns1.example.net hostmaster.example.net 7 600 300 86400 120\n2001:db8::/32 :3:v6 $\n");
        dir.Write("zacl", zoneAcl);
        var specs = new List<string>
        {
            "z.example:ip4set:data", "z.example:generic:gen", "z.example:acl:zacl",
            "w.example:ip4set:data", "w.example:ip4set:more", "w.example:acl:zacl",
            "d.example:dnset:dn", "d.example:acl:zacl",
            "six.example:ip6trie:six", "six.example:acl:zacl",
            "y.example:ip4set:data",
        };
        if (globalAcl is not null)
        {
            dir.Write("gacl", globalAcl);
            specs.Add(":acl:gacl");
        }

        using var rbldnsd = RbldnsdInstance.Start(dir.Path, specs, null);
        using var ours = new OurServer(dir.Path, specs, new ResolverOptions { VersionText = ServerPair.RbldnsdVersion });
        var theirClient = rbldnsd.CreateClient(NoReplyWait);
        var ourClient = new RawDnsClient(ours.Port, NoReplyWait);
        var differences = new List<string>();
        foreach (var (name, type, @class) in Queries)
        {
            byte[] packet = Query(name, type, @class);
            var theirs = AnswerSummary.From(theirClient.Send(packet));
            var mine = AnswerSummary.From(ourClient.Send(packet));
            if (!theirs.Equals(mine)) differences.Add($"{name} type {type} class {@class}:\n{AnswerSummary.Diff(theirs, mine)}");
        }
        Assert.True(differences.Count == 0, $"{scenario}: {differences.Count} of {Queries.Length} answers differ from rbldnsd's:\n" + string.Join("\n", differences));
    }

    [Fact]
    public void GlobalIgnoreDropsEvenMalformedPackets()
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        dir.Write("data", "127.0.0.2\n");
        dir.Write("gacl", "127.0.0.1 :ignore\n");
        string[] specs = ["y.example:ip4set:data", ":acl:gacl"];
        using var rbldnsd = RbldnsdInstance.Start(dir.Path, specs, null);
        using var ours = new OurServer(dir.Path, specs, new ResolverOptions { VersionText = ServerPair.RbldnsdVersion });
        byte[][] packets =
        [
            Query("2.0.0.127.y.example", 1),
            Query("version.bind", 16, ClassCh),
            Query("foo.other", 1),
            Header(DefaultId, FlagRd, qdCount: 2), // malformed: two questions promised, none given
        ];
        foreach (byte[] packet in packets)
        {
            Assert.Null(rbldnsd.CreateClient(NoReplyWait).Send(packet));
            Assert.Null(new RawDnsClient(ours.Port, NoReplyWait).Send(packet));
        }
    }
}
