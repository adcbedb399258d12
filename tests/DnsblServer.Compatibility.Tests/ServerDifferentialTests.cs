using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Compatibility.Tests;

/// <summary>rbldnsd and our server, started on the same zone files (behaviour notes §5.4).</summary>
public sealed class ServerPair : IDisposable
{
    public const string RbldnsdVersion = "rbldnsd 1.0pre (snapshot 20210120)";
    private readonly ZoneDirectory _dir = new();

    public ServerPair() : this([], new ResolverOptions { VersionText = RbldnsdVersion }) { }

    internal ServerPair(string[] rbldnsdOptions, ResolverOptions ours, DnsblServer.Zones.Files.LoadOptions? oursLoad = null)
    {
        RbldnsdInstance.EnsureAvailable();
        _dir.Write("t1", """
            $SOA 3600 ns1.example.net hostmaster.example.net 0 600 300 86400 120
            $NS 3600 ns1.example.net ns2.example.net
            $TTL 2100
            :127.0.0.2:Listed $ see http://x/?ip=$
            127.0.0.2
            127.0.0.10 :4:
            10.0.0.9 :6:first
            192.168.1.0/24
            !192.168.1.5
            10.1.0.0/16 :3:wide $
            10.250.0.0/24 :2:Net $ listed

            """);
        _dir.Write("t2", """
            10.0.0.9 :7:second
            127.0.0.3 :5:second file $

            """);
        _dir.Write("nosoa", "127.0.0.2\n");
        _dir.Write("soaonly", "$SOA 60 ns.soaonly.example hm.soaonly.example 5 1 1 1 30\n127.0.0.2\n");
        var many = new System.Text.StringBuilder("$SOA 3600 ns1.example.net hostmaster.example.net 9 600 300 86400 120\n$NS 3600 ns1.example.net ns2.example.net\n");
        for (int i = 1; i <= 38; i++) many.Append($"10.0.0.8 :{i + 10}:value number {i:00} padding padding padding padding padding padding $\n");
        _dir.Write("many", many.ToString());
        _dir.Write("trie", """
            $SOA 3600 ns1.example.net hostmaster.example.net 1 600 300 86400 120
            10.0.0.0/8 :2:eight
            10.1.0.0/16 :3
            10.1.2.128/25
            !10.1.2.200

            """);
        _dir.Write("six", """
            $SOA 3600 ns1.example.net hostmaster.example.net 3 600 300 86400 120
            $NS 3600 ns1.example.net
            :127.0.0.2:v6 $ listed
            2001:db8::/32 :3:wide $
            2001:db8:1:2::/64
            !2001:db8:1:2::5
            2002:7f00:2::/48 :4:sixtofour
            ::ffff:0:0/96 :5:mapped

            """);
        _dir.Write("sixt", ":6:tset $\n2001:db8:a:b\n2001:db8:a:c\n!2001:db8:a:b::7\n");
        _dir.Write("gen", "@ A 127.0.0.9\n@ MX 10 mx.example.net\n@ TXT \"apex text\"\nwww 3000 A 127.0.0.9\nwww TXT web\nmail IN MX 20 mx2.example.net.\n");
        _dir.Write("dn", """
            :127.0.0.2:Domain $ is listed
            bad.example.com
            *.wild.example.com :3:wild $
            .both.example.org :4
            !ok.both.example.org
            spam.example.net :5:

            """);
        _dir.Write("gl", "$SOA 3600 ns1.g.example hostmaster.g.example 4 600 300 86400 120\n$NS 3600 ns1.g.example ns2.example.net ns3.g.example\n127.0.0.2\n");
        _dir.Write("glgen", "ns1 A 127.0.0.53\nns1 A 127.0.0.54\nns3 600 A 127.0.0.55\n");
        string[] specs =
        [
            "g.example:ip4set:gl",
            "g.example:generic:glgen",
            "t.example:generic:gen",
            "dbl.example:dnset:dn",
            "six.example:ip6trie:six",
            "sixt.example:ip6tset:sixt",
            "both.example:ip4set:t1",
            "both.example:ip6trie:six",
            "t.example:ip4set:t1,t2",
            "nosoa.example:ip4set:nosoa",
            "soaonly.example:ip4set:soaonly",
            "many.example:ip4set:many",
            "trie.example:ip4trie:trie",
        ];
        Rbldnsd = RbldnsdInstance.Start(_dir.Path, specs, rbldnsdOptions);
        Ours = new OurServer(_dir.Path, specs, ours, oursLoad);
    }

    internal RbldnsdInstance Rbldnsd { get; }

    internal OurServer Ours { get; }

    public (AnswerSummary Theirs, AnswerSummary Mine) Ask(byte[] packet)
    {
        var theirs = AnswerSummary.From(Rbldnsd.CreateClient().Send(packet));
        var mine = AnswerSummary.From(Ours.CreateClient().Send(packet));
        return (theirs, mine);
    }

    public void Dispose()
    {
        Ours.Dispose();
        Rbldnsd.Dispose();
        _dir.Dispose();
    }
}

public sealed class ServerDifferentialTests(ServerPair servers) : IClassFixture<ServerPair>
{
    public static TheoryData<string, ushort, ushort> SameAnswers => new()
    {
        { "2.0.0.127.t.example", 1, ClassIn },          // listed A
        { "2.0.0.127.t.example", 16, ClassIn },         // TXT with $ substituted
        { "2.0.0.127.t.example", 255, ClassIn },        // ANY: A + TXT
        { "2.0.0.127.t.example", 28, ClassIn },         // AAAA: NODATA
        { "2.0.0.127.t.example", 12, ClassIn },         // PTR
        { "2.0.0.127.t.example", 5, ClassIn },          // CNAME
        { "2.0.0.127.t.example", 2, ClassIn },          // NS below the apex
        { "2.0.0.127.t.example", 6, ClassIn },          // SOA below the apex
        { "2.0.0.127.t.example", 249, ClassIn },        // TKEY
        { "2.0.0.127.t.example", 1, ClassAny },         // class ANY: no AA
        { "2.0.0.127.t.example", 1, ClassCh },          // class CH: REFUSED
        { "2.0.0.127.T.EXAMPLE", 1, ClassIn },          // case echoed
        { "002.0.0.127.t.example", 1, ClassIn },        // leading zeros
        { "02.0.0.127.t.example", 1, ClassIn },
        { "3.0.0.127.t.example", 1, ClassIn },          // not listed
        { "3.0.0.127.t.example", 16, ClassIn },         // second file, TXT
        { "1.0.127.t.example", 1, ClassIn },            // 3 labels, nothing beneath: NXDOMAIN (see DeliberateDifferences for RFC 8020)
        { "9.127.t.example", 1, ClassIn },
        { "x.2.0.0.127.t.example", 1, ClassIn },
        { "256.0.0.127.t.example", 1, ClassIn },
        { "a.0.0.127.t.example", 1, ClassIn },
        { "2.0.0.0127.t.example", 1, ClassIn },
        { "10.0.0.127.t.example", 1, ClassIn },         // :4: without TXT: A
        { "10.0.0.127.t.example", 16, ClassIn },        // ... and TXT NODATA
        { "9.0.0.10.t.example", 1, ClassIn },           // two files, two values
        { "9.0.0.10.t.example", 16, ClassIn },
        { "9.0.0.10.t.example", 255, ClassIn },
        { "5.1.168.192.t.example", 1, ClassIn },        // excluded
        { "6.1.168.192.t.example", 16, ClassIn },
        { "7.7.1.10.t.example", 16, ClassIn },
        { "2.0.0.0.0.0.f.7.2.0.0.2." + "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.t.example", 16, ClassIn }, // 6to4
        { "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.t.example", 1, ClassIn },       // v4-mapped
        { "t.example", 6, ClassIn },                    // apex SOA
        { "t.example", 2, ClassIn },                    // apex NS
        { "t.example", 255, ClassIn },                  // apex ANY
        { "t.example", 1, ClassIn },                    // apex A: NODATA
        { "t.example", 28, ClassIn },
        { "T.Example", 6, ClassIn },
        { "t.example", 252, ClassIn },                  // AXFR: NOTIMP
        { "t.example", 251, ClassIn },                  // IXFR
        { "t.example", 250, ClassIn },                  // TSIG
        { "t.example", 256, ClassIn },
        { "foo.other", 1, ClassIn },                    // outside our zones
        { "example", 1, ClassIn },
        { "hostname.bind", 16, ClassCh },
        { "version.bind", 16, ClassCh },
        { "version.server", 16, ClassCh },
        { "version.bind", 1, ClassCh },
        { "nosoa.example", 6, ClassIn },                // no $SOA: REFUSED
        { "nosoa.example", 2, ClassIn },
        { "nosoa.example", 255, ClassIn },
        { "nosoa.example", 1, ClassIn },                // NOERROR, empty
        { "1.0.0.127.nosoa.example", 1, ClassIn },      // NXDOMAIN, empty authority
        { "2.0.0.127.nosoa.example", 1, ClassIn },
        { "soaonly.example", 2, ClassIn },              // SOA but no NS: REFUSED
        { "soaonly.example", 255, ClassIn },
        { "soaonly.example", 6, ClassIn },
        { "2.0.0.127.soaonly.example", 1, ClassIn },
        { "9.9.9.10.trie.example", 16, ClassIn },
        { "9.9.1.10.trie.example", 1, ClassIn },
        { "130.2.1.10.trie.example", 1, ClassIn },
        { "200.2.1.10.trie.example", 1, ClassIn },
        { Nibbles("2001:0db8:0000:0000:0000:0000:0000:0001") + ".six.example", 16, ClassIn },   // inside the /32
        { Nibbles("2001:0db8:0001:0002:0000:0000:0000:0009") + ".six.example", 255, ClassIn },  // the /64
        { Nibbles("2001:0db8:0001:0002:0000:0000:0000:0005") + ".six.example", 16, ClassIn },   // excluded /128: the /32 answers? no: excluded
        { Nibbles("2001:0db9:0000:0000:0000:0000:0000:0001") + ".six.example", 1, ClassIn },    // not listed
        { Nibbles("2002:7f00:0002:0000:0000:0000:0000:0001") + ".six.example", 16, ClassIn },   // 6to4 name in an ip6 zone
        { Nibbles("0000:0000:0000:0000:0000:ffff:7f00:0002") + ".six.example", 1, ClassIn },    // v4-mapped: not an ip6 question
        { Nibbles("2001:0db8:000a:000b:0000:0000:0000:0001") + ".sixt.example", 255, ClassIn },
        { Nibbles("2001:0db8:000a:000b:0000:0000:0000:0007") + ".sixt.example", 1, ClassIn },
        { Nibbles("2001:0db8:000a:000d:0000:0000:0000:0001") + ".sixt.example", 1, ClassIn },
        { Nibbles("2002:7f00:0002:0000:0000:0000:0000:0001") + ".both.example", 255, ClassIn },  // 6to4: both families answer
        { Nibbles("2001:0db8:0000:0000:0000:0000:0000:0001") + ".both.example", 16, ClassIn },
        { "2.0.0.127.both.example", 16, ClassIn },
        { "x." + Nibbles("2001:0db8:0000:0000:0000:0000:0000:0001") + ".six.example", 1, ClassIn },
        { "2.0.0.127.six.example", 1, ClassIn },
        { "six.example", 255, ClassIn },
        { "2.0.0.127.g.example", 1, ClassIn },          // NS in AUTHORITY with glue A in ADDITIONAL
        { "g.example", 2, ClassIn },                    // apex NS: glue only with the AUTHORITY copy
        { "ns1.g.example", 1, ClassIn },
        { "www.t.example", 1, ClassIn },                // generic, ttl 3000
        { "www.t.example", 16, ClassIn },
        { "www.t.example", 255, ClassIn },
        { "www.t.example", 28, ClassIn },               // name exists: NODATA
        { "mail.t.example", 15, ClassIn },
        { "nothere.t.example", 1, ClassIn },
        { "bad.example.com.dbl.example", 16, ClassIn },
        { "BAD.Example.com.dbl.example", 255, ClassIn },
        { "x.bad.example.com.dbl.example", 1, ClassIn },   // exact only
        { "a.wild.example.com.dbl.example", 16, ClassIn }, // wildcard: $ = listed name
        { "a.b.wild.example.com.dbl.example", 255, ClassIn },
        { "wild.example.com.dbl.example", 1, ClassIn },    // *. is strict
        { "both.example.org.dbl.example", 1, ClassIn },
        { "x.both.example.org.dbl.example", 1, ClassIn },
        { "ok.both.example.org.dbl.example", 1, ClassIn }, // excluded exactly
        { "x.ok.both.example.org.dbl.example", 1, ClassIn },
        { "spam.example.net.dbl.example", 16, ClassIn },   // :5: no TXT: NODATA
        { "dbl.example", 1, ClassIn },
    };

    private static string Nibbles(string fullAddress) => string.Join('.', fullAddress.Replace(":", "").Reverse());

    [Theory]
    [MemberData(nameof(SameAnswers))]
    public void SameAnswerAsRbldnsd(string name, ushort type, ushort @class)
    {
        byte[] packet = Query(name, type, @class);
        var (theirs, mine) = servers.Ask(packet);
        AnswerSummary.AssertEqual(theirs, mine, $"{name} type {type} class {@class}");
    }

    public static TheoryData<string, byte[]> SameRawAnswers => new()
    {
        { "opcode 2", Query("2.0.0.127.t.example", 1, flags: FlagRd | Opcode(2)) },
        { "opcode 5", Query("2.0.0.127.t.example", 1, flags: FlagRd | Opcode(5)) },
        { "AA in query", Query("2.0.0.127.t.example", 1, flags: FlagRd | FlagAa) },
        { "TC in query", Query("2.0.0.127.t.example", 1, flags: FlagRd | FlagTc) },
        { "QR set", Query("2.0.0.127.t.example", 1, flags: FlagQr) },
        { "QDCOUNT 0", Header(1, FlagRd, 0) },
        { "QDCOUNT 2", Concat(Header(1, FlagRd, 2), Question("a.t.example", 1, 1), Question("b.t.example", 1, 1)) },
        { "3 bytes", [1, 2, 3] },
        { "truncated question", Query("2.0.0.127.t.example", 1)[..20] },
        { "RD clear", Query("2.0.0.127.t.example", 1, flags: 0) },
        { "AD and CD", Query("2.0.0.127.t.example", 1, flags: FlagRd | FlagAd | FlagCd) },
        { "version with AD", Query("version.bind", 16, ClassCh, flags: FlagRd | FlagAd) },
    };

    [Theory]
    [MemberData(nameof(SameRawAnswers))]
    public void SameAnswerToOddPackets(string what, byte[] packet)
    {
        var (theirs, mine) = servers.Ask(packet);
        AnswerSummary.AssertEqual(theirs, mine, what);
    }
}

/// <summary>The same zones with rbldnsd's <c>-a -t 60:30:300</c> and our equivalent settings.</summary>
public sealed class LazyClampedServerPair() : IDisposable
{
    public ServerPair Pair { get; } = new(["-a", "-t", "60:30:300"],
        new ResolverOptions { VersionText = ServerPair.RbldnsdVersion, LazyNs = true },
        new DnsblServer.Zones.Files.LoadOptions { DefaultTtl = 60, MinTtl = 30, MaxTtl = 300 });

    public void Dispose() => Pair.Dispose();
}

public sealed class LazyClampedDifferentialTests(LazyClampedServerPair servers) : IClassFixture<LazyClampedServerPair>
{
    [Theory]
    [InlineData("2.0.0.127.t.example", 1)]
    [InlineData("2.0.0.127.t.example", 16)]
    [InlineData("3.0.0.127.t.example", 1)]
    [InlineData("9.9.9.127.t.example", 1)]
    [InlineData("t.example", 6)]
    [InlineData("t.example", 2)]
    [InlineData("t.example", 255)]
    [InlineData("9.9.9.10.trie.example", 16)]
    public void SameAnswerAsRbldnsd(string name, ushort type)
    {
        var (theirs, mine) = servers.Pair.Ask(Query(name, type));
        AnswerSummary.AssertEqual(theirs, mine, $"{name} type {type}");
    }
}
