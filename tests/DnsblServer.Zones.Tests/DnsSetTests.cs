using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets.Dns;

namespace DnsblServer.Zones.Tests;

/// <summary>dnset loading and lookup; the expectations are what rbldnsd 1.0pre answered for the same lines.</summary>
public sealed class DnsSetTests : IDisposable
{
    private readonly DnsZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    private const string Forms = """
        example.com
        *.wild.com :3:wild $
        .both.com :4:both $
        !ok.both.com
        Upper.COM :5:upper $
        :6:def $
        after.com
        !*.x.both.com
        exact.net :7:e
        *.exact.net :8:w $
        multi.org :2:one
        multi.org :3:two
        multi.org :2:one
        name:2:nospace
        name#c
        trail.dot. :9:trail $
        a..b.com :10:dd
        cmt.com # comment
        cmt2.com ; comment
        !nonlisted.com
        ..dotdot.com :11:dotdot $
        *.*.star.com :12:star $
        *foo.com :13:starfoo $
        esc\065.com :14:esc $
        *
        """;

    [Theory]
    [InlineData("example.com", "127.0.0.2 @example.com")]
    [InlineData("x.example.com", "-")]                       // exact entry: no subdomains
    [InlineData("wild.com", "-")]                            // *. entry: subdomains only
    [InlineData("a.wild.com", "127.0.0.3 wild wild.com @wild.com")] // $ is the listed name, not the query
    [InlineData("b.a.wild.com", "127.0.0.3 wild wild.com @wild.com")]
    [InlineData("both.com", "127.0.0.4 both both.com @both.com")]
    [InlineData("x.both.com", "127.0.0.4 both both.com @both.com")]
    [InlineData("ok.both.com", "-")]                         // exact exclusion, no fallback to the wildcard
    [InlineData("x.ok.both.com", "127.0.0.4 both both.com @both.com")] // the exclusion was for the plain array only
    [InlineData("a.x.both.com", "-")]                        // nearest wildcard is an exclusion: shorter ones not tried
    [InlineData("UPPER.com", "127.0.0.5 upper upper.com @upper.com")]
    [InlineData("after.com", "127.0.0.6 def after.com @after.com")]
    [InlineData("exact.net", "127.0.0.7 e @exact.net")]      // exact beats the wildcard of the same name
    [InlineData("a.exact.net", "127.0.0.8 w exact.net @exact.net")]
    [InlineData("multi.org", "127.0.0.2 one | 127.0.0.3 two @multi.org")] // all values, duplicates once
    [InlineData("name", "-")]
    [InlineData("name:2:nospace", "127.0.0.6 def name:2:nospace @name:2:nospace")] // the name ends at a blank only
    [InlineData("name#c", "127.0.0.6 def name#c @name#c")]
    [InlineData("trail.dot", "127.0.0.9 trail trail.dot @trail.dot")]
    [InlineData("a.b.com", "127.0.0.10 dd @a.b.com")]        // empty labels are skipped
    [InlineData("cmt.com", "127.0.0.6 def cmt.com @cmt.com")]
    [InlineData("cmt2.com", "127.0.0.6 def cmt2.com @cmt2.com")]
    [InlineData("nonlisted.com", "-")]
    [InlineData("dotdot.com", "127.0.0.11 dotdot dotdot.com @dotdot.com")]
    [InlineData("x.dotdot.com", "127.0.0.11 dotdot dotdot.com @dotdot.com")]
    [InlineData("x.star.com", "-")]                          // "*.*.star.com" is a wildcard under the label "*"
    [InlineData("*.star.com", "-")]
    [InlineData("x.*.star.com", "127.0.0.12 star *.star.com @*.star.com")]
    [InlineData("*foo.com", "127.0.0.13 starfoo *foo.com @*foo.com")]
    [InlineData("escA.com", "127.0.0.14 esc esca.com @esca.com")]
    [InlineData("*", "127.0.0.6 def * @*")]
    public void EntryForms(string query, string expected)
    {
        Assert.Equal(expected, DnsZoneText.Answer(_zones.DnsSet(Forms + "\n"), query));
    }

    [Fact]
    public void InvalidLinesAreSkippedWithWarnings()
    {
        var ds = _zones.DnsSet("""
            !
            ! spaced.com
            .
            *.
            y.com :2 junk
            z.com :0:
            w.com :bad
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com
            x.com junk text $

            """);
        Assert.Equal(
            ["1 invalid domain name", "3 invalid domain name", "4 invalid domain name", "5 unrecognized value for an entry",
             "6 invalid A RR", "7 invalid A RR", "8 invalid domain name"],
            _zones.Context!.Warnings.Select(w => $"{w.Line} {w.Message}"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "spaced.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "y.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "z.com"));
        Assert.Equal("127.0.0.2 junk text x.com @x.com", DnsZoneText.Answer(ds, "x.com"));
    }

    [Fact]
    public void DefaultValueLinesPerFile()
    {
        var ds = _zones.DnsSet("""
            :7:
            v.com
            v2.com :8
            :9:nine $
            v3.com :8
            v4.com :8:
            :3:abc
            :4
            v5.com
            :bad:x
            v6.com
            """, """
            f2.com
            :5:file2 $
            f2b.com
            """);
        Assert.Equal("127.0.0.7 @v.com", DnsZoneText.Answer(ds, "v.com"));
        Assert.Equal("127.0.0.8 @v2.com", DnsZoneText.Answer(ds, "v2.com"));
        Assert.Equal("127.0.0.8 nine v3.com @v3.com", DnsZoneText.Answer(ds, "v3.com")); // ":A" keeps the default TXT
        Assert.Equal("127.0.0.8 @v4.com", DnsZoneText.Answer(ds, "v4.com"));
        Assert.Equal("127.0.0.4 @v5.com", DnsZoneText.Answer(ds, "v5.com"));            // a ":A" default line has no TXT
        Assert.Equal("127.0.0.4 @v6.com", DnsZoneText.Answer(ds, "v6.com"));            // an invalid default line changes nothing
        Assert.Equal("127.0.0.2 @f2.com", DnsZoneText.Answer(ds, "f2.com"));            // the default resets per file
        Assert.Equal("127.0.0.5 file2 f2b.com @f2b.com", DnsZoneText.Answer(ds, "f2b.com"));
    }

    [Theory]
    [InlineData(DnsNameChunk.DefaultRecords)]
    [InlineData(1)] // every line its own sorted run: the merge settles each name
    [InlineData(2)]
    [InlineData(5)]
    public void ExclusionsApplyToTheArraysTheirSpellingNames(int chunkRecords)
    {
        var ds = _zones.DnsSet(chunkRecords, """
            dup.com :2:x
            dup.com :2:x
            dup.com :3:x
            excl.com :2:a
            !excl.com
            excl.com :3:b
            *.wex.com :2:w
            !.wex.com
            sub.wex.com :4:exact
            .p.com :5:p
            !*.p.com
            .q.com :6:q
            """, """
            !q.com
            """);
        Assert.Equal("127.0.0.2 x | 127.0.0.3 x @dup.com", DnsZoneText.Answer(ds, "dup.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "excl.com"));       // any exclusion of the name wins, wherever it is
        Assert.Equal("-", DnsZoneText.Answer(ds, "wex.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "a.wex.com"));
        Assert.Equal("127.0.0.4 exact @sub.wex.com", DnsZoneText.Answer(ds, "sub.wex.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "x.sub.wex.com"));  // the nearest wildcard, wex.com, is excluded
        Assert.Equal("127.0.0.5 p @p.com", DnsZoneText.Answer(ds, "p.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "a.p.com"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "q.com"));          // an exclusion in another file of the dataset
        Assert.Equal("127.0.0.6 q @q.com", DnsZoneText.Answer(ds, "a.q.com"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void ValuesOfANameInSeveralRunsKeepFileOrder(int chunkRecords)
    {
        string text = """
            m.org :3:three
            a.org
            m.org :2:two
            z.org
            m.org :3:three
            *.m.org :5:w5
            m.org :4:four
            .m.org :6:both
            !*.n.org
            b.org
            *.n.org :2:n
            """;
        var ds = _zones.DnsSet(chunkRecords, text);
        // The distinct values in file order, from whichever runs they were cut into.
        Assert.Equal("127.0.0.3 three | 127.0.0.2 two | 127.0.0.4 four | 127.0.0.6 both @m.org", DnsZoneText.Answer(ds, "m.org"));
        Assert.Equal("127.0.0.5 w5 | 127.0.0.6 both @m.org", DnsZoneText.Answer(ds, "x.m.org"));
        Assert.Equal("-", DnsZoneText.Answer(ds, "x.n.org")); // an exclusion in an earlier run still wins
        Assert.Equal(DnsZoneText.Dump(_zones.DnsSet(text)), DnsZoneText.Dump(ds));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 16)]
    [InlineData(5, 100)]
    public void ChunkedBuildEqualsTheOneRunBuild(int seed, int chunkRecords)
    {
        // Few distinct names in every spelling, with exclusions and several values, over three files: names
        // recur within and across runs and files.
        var random = new Random(seed);
        string[] labels = ["a", "b", "ab", "a-b", "Zz", "c"];
        string Name() => string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => labels[random.Next(labels.Length)]));
        string Line() => random.Next(12) switch
        {
            0 => $":{random.Next(2, 6)}:default{random.Next(3)}",
            1 or 2 => "!" + new[] { "", "*.", "." }[random.Next(3)] + Name(),
            _ => new[] { "", "", "*.", "." }[random.Next(4)] + Name() + (random.Next(3) == 0 ? $" :{random.Next(2, 6)}:v{random.Next(3)}" : ""),
        };
        string[] files = Enumerable.Range(0, 3).Select(_ => string.Join('\n', Enumerable.Range(0, 150).Select(_ => Line())) + "\n").ToArray();
        var oneRun = _zones.DnsSet(files);
        var chunked = _zones.DnsSet(chunkRecords, files);
        Assert.True(oneRun.NameCount > 20);
        Assert.Equal(DnsZoneText.Dump(oneRun), DnsZoneText.Dump(chunked));
        Assert.Equal((oneRun.PlainCount, oneRun.WildcardCount), (chunked.PlainCount, chunked.WildcardCount));
    }

    [Theory]
    [InlineData("q\"uote.com", "q\\\"uote.com")]
    [InlineData("semi;colon.com", "semi\\;colon.com")]
    [InlineData("at@.com", "at\\@.com")]
    [InlineData("dol$lar.com", "dol\\$lar.com")]
    [InlineData("esc\\.dot.com", "esc\\.dot.com")]
    [InlineData("sp\\032ace.com", "sp\\032ace.com")]
    [InlineData("hi\\200gh.com", "hi\\200gh.com")]
    public void DollarIsTheListedNameAsDnsDntopPrintsIt(string entry, string expected)
    {
        var ds = _zones.DnsSet($"{entry} :2:$\n*.{entry} :3:w$\n");
        Assert.Equal($"127.0.0.2 {expected} @{expected}", DnsZoneText.Answer(ds, entry));
        Assert.Equal($"127.0.0.3 w{expected} @{expected}", DnsZoneText.Answer(ds, "sub." + entry));
    }

    [Fact]
    public void BaseTemplateAndVariables()
    {
        var ds = _zones.DnsSet("$1 one\n$= [$=] for $ $1\na.com :2:text\nb.com\n");
        Assert.Equal("127.0.0.2 [text] for a.com one @a.com", DnsZoneText.Answer(ds, "a.com"));
        Assert.Equal("127.0.0.2 [b.com] for b.com one @b.com", DnsZoneText.Answer(ds, "b.com"));
    }

    [Fact]
    public void ApexAndEmptyDatasetNeverMatch()
    {
        var ds = _zones.DnsSet(".com\n");
        Assert.False(ds.TryLookup([], out _, out _));
        Assert.Equal("127.0.0.2 @com", DnsZoneText.Answer(ds, "x.com"));
        var empty = _zones.DnsSet("# nothing\n");
        Assert.Equal("-", DnsZoneText.Answer(empty, "x.com"));
        Assert.Equal(0, empty.NameCount);
    }

    [Fact]
    public void CountsAndSize()
    {
        var ds = _zones.DnsSet("a.com\n*.b.com\n.c.com\n!.d.com\na.com :3\n");
        Assert.Equal(4, ds.NameCount);
        Assert.Equal(3, ds.PlainCount);     // a, c, d
        Assert.Equal(3, ds.WildcardCount);  // b, c, d
        Assert.Equal(6, ds.EntryCount);
        Assert.True(ds.SizeInBytes > 0);
    }

    [Fact]
    public void LookupWithLabelOffsetsDoesNotAllocate()
    {
        var ds = _zones.DnsSet(".example.com :3:x $\n");
        byte[] wire = DnsZoneText.Wire("a.b.example.com");
        byte[] offsets = [0, 2, 4, 12];
        Assert.True(ds.TryLookup(wire, offsets, 4, out _, out _));
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 1000; i++) ds.TryLookup(wire, offsets, 4, out _, out _);
        }));
        Assert.True(ds.TryLookup(wire, offsets, 4, out var values, out var listed));
        Assert.Equal(DnsZoneText.Wire("example.com"), listed.ToArray());
        Assert.Equal(0x7f000003u, values[0].A);
    }
}
