using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// rbldnsd (with <c>-q</c>, so zones that fail to load answer SERVFAIL instead of stopping it) and our server on the
/// same combined files: every subdataset type, <c>@</c> and named subzones, <c>$TTL</c> per section, subzone apexes,
/// glue from a subzone, and the loads rbldnsd aborts. RFC 8020 NODATA is switched off: it is a deliberate difference.
/// </summary>
public sealed class CombinedServerPair : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public CombinedServerPair()
    {
        RbldnsdInstance.EnsureAvailable();
        _dir.Write("comb", """
            # the common section: specials only
            $SOA 3600 ns1.c.example hostmaster.example.net 0 600 300 86400 120
            $NS 3600 ns1.c.example ns2.example.net
            $TTL 1000
            $1 common-one
            $MAXRANGE4 /8
            $DATASET ip4set:base @
            :127.0.0.2:base $ $1
            127.0.0.2
            10.0.0.0/24 :3:net $
            !10.0.0.5
            $DATASET ip4trie bl
            $TTL 500
            10.0.0.0/8 :4:trie $
            !10.1.0.0/16
            10.1.2.0/24 :5
            0.0.0.0/0 :9:too wide for $MAXRANGE4
            $DATASET dnset dbl
            $TTL 400
            $2 section-two
            bad.example.com :6:dom $ $2 $1
            .wild.example.org :7
            $DATASET generic @ gen
            $TTL 300
            @ A 127.0.0.8
            @ TXT "apex text"
            www A 127.0.0.9
            www MX 10 mx.example.net
            ns1 A 192.0.2.53
            $DATASET ip6trie v6 bl
            2001:db8::/32 :8:six $
            !2001:db8:1::/48
            $DATASET ip4tset DEEP.bl
            :11:deep $
            127.0.0.5
            $DATASET ip4set a.b
            127.0.0.6 :9:ab
            $DATASET dnset  bl   # a comment: bl gets a second dataset
            spam.example.net :10:spam
            $DATASET ip6tset six.v6
            2001:db8:a:b
            $SOA 60 second.example second.example 1 1 1 1 1

            """);
        _dir.Write("late", """
            $DATASET ip4set @
            $TTL 77
            127.0.0.2
            $SOA 0 ns.late.example hm.late.example 7 600 300 86400 30
            $NS 0 ns.late.example

            """);
        _dir.Write("abort", "$SOA 3600 ns.abort.example hm.abort.example 1 600 300 86400 30\n127.0.0.2\n$DATASET ip4set @\n127.0.0.3\n");
        _dir.Write("nested", "$DATASET combined @\n127.0.0.2\n");
        _dir.Write("unknown", "$DATASET ip4set @\n127.0.0.2\n$DATASET nosuch sub\n127.0.0.3\n");
        _dir.Write("m1", "$DATASET ip4set @\n:5:first file\n127.0.0.2\n");
        _dir.Write("m2", "# a comment is not a special\n$TTL 99\n127.0.0.3\n$DATASET ip4set sub\n127.0.0.4\n");
        _dir.Write("m3", "127.0.0.3\n");
        _dir.Write("plain", "127.0.0.2 :2:plain $\n");
        _dir.Write("mixc", "$DATASET ip4set @\n127.0.0.2 :3:combined $\n$DATASET generic @\nwww A 127.0.0.7\n");
        _dir.Write("noat", "$SOA 3600 ns.noat.example hm.noat.example 1 600 300 86400 30\n$DATASET ip4set sub\n127.0.0.2\n$DATASET dnset\nbad.example\n$DATASET ip4set # closes the section\n");
        _dir.Write("bare", "$DATASET ip4set @\n127.0.0.2\n$DATASET\n127.0.0.3\n");
        string[] specs =
        [
            "c.example:combined:comb",
            "late.example:combined:late",
            "abort.example:combined:abort",
            "nested.example:combined:nested",
            "unknown.example:combined:unknown",
            "two.example:combined:m1,m2",
            "three.example:combined:m1,m3",
            "mix.example:ip4set:plain",
            "mix.example:combined:mixc",
            "noat.example:combined:noat",
            "bare.example:combined:bare",
        ];
        Rbldnsd = RbldnsdInstance.Start(_dir.Path, specs, ["-q"]);
        Ours = new OurServer(_dir.Path, specs, new ResolverOptions { VersionText = ServerPair.RbldnsdVersion, EmptyNonTerminals = false });
    }

    internal RbldnsdInstance Rbldnsd { get; }

    internal OurServer Ours { get; }

    public (AnswerSummary Theirs, AnswerSummary Mine) Ask(byte[] packet) =>
        (AnswerSummary.From(Rbldnsd.CreateClient().Send(packet)), AnswerSummary.From(Ours.CreateClient().Send(packet)));

    public void Dispose()
    {
        Ours.Dispose();
        Rbldnsd.Dispose();
        _dir.Dispose();
    }
}

public sealed class CombinedDifferentialTests(CombinedServerPair servers) : IClassFixture<CombinedServerPair>
{
    private static string Nibbles(string fullAddress) => string.Join('.', fullAddress.Replace(":", "").Reverse());

    public static TheoryData<string, ushort> SameAnswers => new()
    {
        // @ ip4set: TTL and $1 from the common section, glue for ns1.c.example from the @ generic
        { "2.0.0.127.c.example", 1 },
        { "2.0.0.127.c.example", 16 },
        { "2.0.0.127.c.example", 255 },
        { "2.0.0.127.c.example", 28 },
        { "3.0.0.127.c.example", 1 },
        { "1.0.0.10.c.example", 16 },
        { "5.0.0.10.c.example", 1 },                 // excluded
        { "1.0.0.10.C.Example", 16 },
        { Nibbles("0000:0000:0000:0000:0000:ffff:7f00:0002") + ".c.example", 16 },   // v4-mapped
        { Nibbles("2002:0a00:0001:0000:0000:0000:0000:0001") + ".c.example", 16 },   // 6to4 of 10.0.0.1
        // the base apex: SOA and NS of the common section, generic @ records
        { "c.example", 6 },
        { "c.example", 2 },
        { "c.example", 255 },
        { "c.example", 1 },
        { "c.example", 16 },
        { "c.example", 15 },
        { "c.example", 28 },
        { "www.c.example", 1 },
        { "www.c.example", 15 },
        { "www.c.example", 255 },
        { "www.c.example", 28 },
        { "ns1.c.example", 1 },
        { "nothere.c.example", 1 },
        { "0.0.127.c.example", 1 },                   // no empty non-terminals (RFC 8020 switched off here)
        // generic in a second subzone
        { "gen.c.example", 1 },
        { "gen.c.example", 255 },
        { "www.gen.c.example", 15 },
        // bl: ip4trie + ip6trie + dnset; its apex exists
        { "bl.c.example", 1 },
        { "bl.c.example", 6 },
        { "bl.c.example", 2 },
        { "bl.c.example", 255 },
        { "BL.c.example", 16 },
        { "1.2.3.10.bl.c.example", 16 },
        { "1.2.3.10.bl.c.example", 255 },
        { "1.2.1.10.bl.c.example", 16 },              // :5 without TXT
        { "1.9.1.10.bl.c.example", 1 },               // excluded /16
        { "2.0.0.127.bl.c.example", 1 },              // 0/0 over $MAXRANGE4: not listed
        { "x.bl.c.example", 1 },
        { "spam.example.net.bl.c.example", 16 },      // second dataset of bl
        { Nibbles("2001:0db8:0000:0000:0000:0000:0000:0001") + ".bl.c.example", 16 },
        { Nibbles("2001:0db8:0001:0000:0000:0000:0000:0001") + ".bl.c.example", 16 }, // excluded /48
        { Nibbles("2002:0a01:0203:0000:0000:0000:0000:0001") + ".bl.c.example", 255 }, // 6to4: trie answers as IPv4
        { Nibbles("2001:0db8:0000:0000:0000:0000:0000:0001") + ".c.example", 16 },   // ip6 only in bl and v6
        // v6 and its child six.v6 (ip6tset)
        { Nibbles("2001:0db8:0000:0000:0000:0000:0000:0001") + ".v6.c.example", 16 },
        { Nibbles("2001:0db8:000a:000b:0000:0000:0000:0001") + ".six.v6.c.example", 255 },
        { Nibbles("2001:0db8:000a:000c:0000:0000:0000:0001") + ".six.v6.c.example", 1 },
        { "six.v6.c.example", 28 },
        { "v6.c.example", 255 },
        // deep.bl (ip4tset) is more specific than bl
        { "deep.bl.c.example", 1 },
        { "5.0.0.127.deep.bl.c.example", 16 },
        { "6.0.0.127.deep.bl.c.example", 1 },
        { "x.deep.bl.c.example", 1 },
        // a.b: b alone is no subzone
        { "a.b.c.example", 1 },
        { "b.c.example", 1 },
        { "6.0.0.127.a.b.c.example", 255 },
        // dnset with $ = listed name and variables from section and common section
        { "bad.example.com.dbl.c.example", 16 },
        { "x.wild.example.org.dbl.c.example", 255 },
        { "wild.example.org.dbl.c.example", 1 },
        { "good.example.com.dbl.c.example", 1 },
        { "dbl.c.example", 16 },
        // $SOA/$NS after $DATASET belong to the base zone; their TTL 0 is the combined TTL, not the section's
        { "late.example", 6 },
        { "late.example", 2 },
        { "2.0.0.127.late.example", 1 },
        { "3.0.0.127.late.example", 1 },
        // aborted loads: data before $DATASET, nested combined, unknown type
        { "2.0.0.127.abort.example", 1 },
        { "abort.example", 6 },
        { "2.0.0.127.nested.example", 1 },
        { "2.0.0.127.unknown.example", 1 },
        // two files: the second continues the last section after its first special; data first aborts
        { "2.0.0.127.two.example", 16 },
        { "3.0.0.127.two.example", 16 },
        { "4.0.0.127.sub.two.example", 1 },
        { "2.0.0.127.three.example", 1 },
        // a zone with a plain dataset and a combined one
        { "2.0.0.127.mix.example", 255 },
        { "www.mix.example", 1 },
        { "mix.example", 1 },
        // no @ subzone; "$DATASET dnset" names no subzone; a section closed by an empty $DATASET
        { "noat.example", 1 },
        { "noat.example", 6 },
        { "2.0.0.127.noat.example", 1 },
        { "sub.noat.example", 16 },
        { "2.0.0.127.sub.noat.example", 1 },
        { "bad.example.noat.example", 1 },
        // "$DATASET" with nothing after it is no $DATASET line: a warning, and the section goes on
        { "3.0.0.127.bare.example", 1 },
    };

    [Theory]
    [MemberData(nameof(SameAnswers))]
    public void SameAnswerAsRbldnsd(string name, ushort type)
    {
        var (theirs, mine) = servers.Ask(Query(name, type));
        AnswerSummary.AssertEqual(theirs, mine, $"{name} type {type}");
    }

    [Fact]
    public void TheFixtureTellsListedFromNotListed()
    {
        // guards the table above against both servers failing the same way
        Assert.StartsWith("NOERROR", servers.Ask(Query("1.2.3.10.bl.c.example", 16)).Mine.Text);
        Assert.Contains("trie 10.3.2.1", servers.Ask(Query("1.2.3.10.bl.c.example", 16)).Mine.Text);
        Assert.StartsWith("SERVFAIL", servers.Ask(Query("2.0.0.127.abort.example", 1)).Theirs.Text);
        Assert.StartsWith("NXDOMAIN", servers.Ask(Query("x.bl.c.example", 1)).Theirs.Text);
    }

    [Fact]
    public void AbortIsReportedAtTheSameFileAndLine()
    {
        // with -q the first load happens after start-up: wait for its "zones reloaded" line
        for (int i = 0; i < 100 && servers.Rbldnsd.ReloadCount == 0; i++) Thread.Sleep(50);
        string log = servers.Rbldnsd.StandardError + "\n" + servers.Rbldnsd.StandardOutput;
        Assert.True(log.Contains("file abort(2): invalid/unrecognized entry - specify $DATASET line", StringComparison.Ordinal), log);
        Assert.Contains("file nested(1): dataset type `combined' cannot be used inside `combined'", log);
        Assert.Contains("file unknown(3): unknown dataset type `nosuch'", log);
        Assert.Contains("file m3(1): invalid/unrecognized entry - specify $DATASET line", log);
        var errors = servers.Ours.Processor.Zones.Datasets.Values.Where(d => d.LastError is not null)
            .Select(d => $"{Path.GetFileName(d.LastError!.File)}({d.LastError.Line}): {d.LastError.Message}").ToList();
        Assert.Contains("abort(2): invalid/unrecognized entry - specify $DATASET line", errors);
        Assert.Contains("nested(1): dataset type `combined' cannot be used inside `combined'", errors);
        Assert.Contains("unknown(3): unknown dataset type `nosuch'", errors);
        Assert.Contains("m3(1): invalid/unrecognized entry - specify $DATASET line", errors);
    }
}
