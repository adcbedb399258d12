using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>ip6trie against rbldnsd 1.0pre (20210120) observations: every row was probed on the real server.</summary>
public sealed class Ip6TrieTests : IDisposable
{
    private readonly Ip6ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    // One line alone in a file: the answer for one address, and the warning (or "").
    [Theory]
    [InlineData("2001:db8:c000/36 :3:pfx $", "2001:db8:cfff:ffff:ffff:ffff:ffff:ffff", "127.0.0.3 pfx 2001:db8:cfff:ffff:ffff:ffff:ffff:ffff", "")]
    [InlineData("2001:db8:c000/36", "2001:db8:d000::", "-", "")]
    [InlineData("2001:db8:1:2 :4:sixfour $", "2001:db8:1:2::5", "127.0.0.4 sixfour 2001:db8:1:2::5", "")]   // 4 groups = /64
    [InlineData("2001:db8:1:2", "2001:db8:1:3::", "-", "")]
    [InlineData("2001:db8:c000", "2001:db8:c000:ffff::1", "127.0.0.2", "")]                                  // 3 groups = /48
    [InlineData("2001:DB8:AB::1 :5:upper", "2001:db8:ab::1", "127.0.0.5 upper", "")]
    [InlineData("::1 :6:loop $", "::1", "127.0.0.6 loop ::1", "")]                                           // "::" starts an address
    [InlineData("::", "::", "127.0.0.2", "")]
    [InlineData("2001", "2001::", "-", "invalid address")]                                                  // bare group
    [InlineData("2001/16 :8:sixteen", "2001:ffff::", "127.0.0.8 sixteen", "")]
    [InlineData("1::2::3", "1::2", "127.0.0.3", "")]                                                        // ":3" is the value
    [InlineData(":::5", "::", "127.0.0.5", "")]
    [InlineData("1:::6", "1::", "127.0.0.6", "")]
    [InlineData("2001:db8::1:", "2001:db8::1", "127.0.0.2", "")]
    [InlineData("2001:db8:1:", "2001:db8:1::", "-", "invalid address")]
    [InlineData("1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8", "127.0.0.9", "")]
    [InlineData("a:2:3:4:5:6:7:8:4:atxt", "a:2:3:4:5:6:7:8", "127.0.0.4 atxt", "")]
    [InlineData("1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7:8", "-", "invalid A RR")]
    [InlineData("00001:2::", "1:2::", "127.0.0.2", "")]
    [InlineData("12345::", "1234::", "-", "invalid address")]
    [InlineData("2001:db8::fffff", "2001:db8::", "-", "invalid address")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1", "-", "invalid address")]
    [InlineData("2001:db8::/129", "2001:db8::", "-", "invalid address")]
    [InlineData("2001:db8:1::/0128", "2001:db8:1::", "127.0.0.2", "")]
    [InlineData("1::2:3:4:5:6:7:8", "1::", "-", "invalid address")]
    [InlineData("1:2:3:4:5:6:7::8", "1:2:3:4:5:6:7:8", "-", "invalid address")]
    [InlineData("b:2:3:4:5:6:7::", "b:2:3:4:5:6:7:0", "127.0.0.2", "")]
    [InlineData("::c:2:3:4:5:6:7", "0:c:2:3:4:5:6:7", "127.0.0.2", "")]
    [InlineData("::1:2:3:4:5:6:7:8", "0:1:2:3:4:5:6:7", "-", "invalid address")]
    [InlineData("2001:db8:0:10::1/64", "2001:db8:0:10::1", "-", "invalid range (non-zero host part)")]
    [InlineData("2001:db8:c000/35 :3:ok35", "2001:db8:c000::", "127.0.0.3 ok35", "")]
    [InlineData("2001:db8:c000/33", "2001:db8:8000::", "-", "invalid range (non-zero host part)")]
    [InlineData("2001/0", "1::", "-", "invalid range (non-zero host part)")]
    [InlineData("0/0 :9:all", "1::", "127.0.0.9 all", "")]
    [InlineData("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "127.0.0.2", "")]
    [InlineData("::/1", "7fff::", "127.0.0.2", "")]
    [InlineData("8000::/1", "7fff::", "-", "")]
    [InlineData("1:2:3:4:5:6:7:8/127", "1:2:3:4:5:6:7:9", "127.0.0.2", "")]
    [InlineData("1:2:3:4:5:6:7:9/127", "1:2:3:4:5:6:7:9", "-", "invalid range (non-zero host part)")]
    [InlineData("2001:db8::11#comment", "2001:db8::11", "127.0.0.2", "")]
    [InlineData("2001:db8::12;c", "2001:db8::12", "127.0.0.2", "")]
    [InlineData("2001:db8::13:4:x", "2001:db8::13", "-", "invalid address")]
    [InlineData("2001:db8::,", "2001:db8::", "-", "invalid address")]
    [InlineData("2001:db8::1-2", "2001:db8::1", "-", "invalid address")]
    [InlineData("2001:db8::/", "2001:db8::", "-", "invalid address")]
    [InlineData("2001:db8::1\r", "2001:db8::1", "-", "invalid address")]                                   // CR is not a blank
    [InlineData("2001:db8::1 :3\r", "2001:db8::1", "-", "unrecognized value for an entry")]
    [InlineData("2001:db8::1 :3:crlf\r", "2001:db8::1", "127.0.0.3 crlf\r", "")]
    [InlineData("2001:db8::1 text $", "2001:db8::1", "127.0.0.2 text 2001:db8::1", "")]
    [InlineData("2001:db8::1 :2:", "2001:db8::1", "127.0.0.2", "")]
    [InlineData("::1 :bad", "::1", "-", "invalid A RR")]
    [InlineData("::1 :0:", "::1", "-", "invalid A RR")]
    [InlineData("::1 :2 junk", "::1", "-", "unrecognized value for an entry")]
    [InlineData("::g", "::", "-", "invalid address")]
    [InlineData("g::", "::", "-", "invalid address")]
    [InlineData(":", "::", "-", "invalid A RR")]                                                             // a value line
    [InlineData("!", "::", "-", "invalid address")]
    [InlineData("!:", "::", "-", "invalid address")]
    [InlineData("! ::1", "::1", "-", "")]
    [InlineData("!::1 :bad", "::1", "-", "")]                                                               // an exclusion's value is not read
    [InlineData("!2001:db8::1/64", "2001:db8::1", "-", "invalid range (non-zero host part)")]
    public void OneLine(string line, string query, string expected, string warning)
    {
        var (dataset, context) = _zones.LoadWithContext("ip6trie", line + "\n");
        Assert.Equal(expected, Ip6ZoneText.Answer(dataset, query));
        Assert.Equal(warning, string.Join("; ", context.Warnings.Select(w => w.Message)));
        if (warning != "") Assert.Equal(1, context.Warnings[0].Line);
    }

    [Fact]
    public void LongestPrefixExclusionsAndFirstDuplicate()
    {
        // Probed together with -e on rbldnsd.
        var (ds, context) = _zones.LoadWithContext("ip6trie", """
            2001:db8:0:10::1/64 :3:masked
            2001:db8:0:10::/64 :4:dup
            2001/0 :5:all
            2001:db8::/32 :6:a
            !2001:db8:1::/48
            2001:db8:1:2::/64 :7
            2001:db8:1:2:: :8:host
            2001:db8:1:2::/128 :9:dup128
            2001:db8:1:2:0:0:0:0 :10:dup128b
            2001:db8:2::1
            !2001:db8:2::1
            !2001:db8:3::1
            2001:db8:3::1 :3:after

            """, new LoadOptions { AcceptHostBits = true });
        Assert.Equal("127.0.0.3 masked", Ip6ZoneText.Answer(ds, "2001:db8:0:10::5"));
        Assert.Equal("127.0.0.5 all", Ip6ZoneText.Answer(ds, "1::"));
        Assert.Equal("127.0.0.6 a", Ip6ZoneText.Answer(ds, "2001:db8:5::"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:1:3::"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:1:ffff:ffff:ffff:ffff:ffff"));
        Assert.Equal("127.0.0.6 a", Ip6ZoneText.Answer(ds, "2001:db8:2:0:ffff:ffff:ffff:ffff"));
        Assert.Equal("127.0.0.8 host", Ip6ZoneText.Answer(ds, "2001:db8:1:2::"));
        Assert.Equal("127.0.0.7", Ip6ZoneText.Answer(ds, "2001:db8:1:2::1"));
        Assert.Equal("127.0.0.7", Ip6ZoneText.Answer(ds, "2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8:2::1"));   // the entry came first
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:3::1"));           // the exclusion came first
        Assert.Equal("127.0.0.6 a", Ip6ZoneText.Answer(ds, "2001:db8:3::2"));
        Assert.Equal("127.0.0.5 all", Ip6ZoneText.Answer(ds, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        Assert.Equal(
            [
                "2: duplicated entry for 2001:db8:0:10::/64",
                "8: duplicated entry for 2001:db8:1:2::/128",
                "9: duplicated entry for 2001:db8:1:2::/128",
                "11: duplicated entry for 2001:db8:2::1/128",
                "13: duplicated entry for 2001:db8:3::1/128",
            ],
            context.Warnings.Select(w => $"{w.Line}: {w.Message}"));
    }

    [Fact]
    public void DefaultValuePerFileAndTemplates()
    {
        // Probed on rbldnsd with the same two files.
        var (ds, _) = _zones.LoadTexts("ip6trie", """
            $1 one
            :3:deflt $
            2001:db8::1
            :4
            2001:db8::2
            2001:db8::3 :5
            2001:db8::4 text $1 $$ x=$x

            """, """
            2001:db8::5
            $= base [$=] $
            2001:db8::6 :6:ent
            2001:db8::7 :6:=bypass $

            """);
        Assert.Equal("127.0.0.3 base [deflt $] 2001:db8::1", Ip6ZoneText.Answer(ds, "2001:db8::1"));
        Assert.Equal("127.0.0.4 base [2001:db8::2] 2001:db8::2", Ip6ZoneText.Answer(ds, "2001:db8::2"));
        Assert.Equal("127.0.0.5 base [2001:db8::3] 2001:db8::3", Ip6ZoneText.Answer(ds, "2001:db8::3"));
        Assert.Equal("127.0.0.4 base [text $1 $$ x=$x] 2001:db8::4", Ip6ZoneText.Answer(ds, "2001:db8::4"));
        Assert.Equal("127.0.0.2 base [2001:db8::5] 2001:db8::5", Ip6ZoneText.Answer(ds, "2001:db8::5"));
        Assert.Equal("127.0.0.6 base [ent] 2001:db8::6", Ip6ZoneText.Answer(ds, "2001:db8::6"));
        Assert.Equal("127.0.0.6 bypass 2001:db8::7", Ip6ZoneText.Answer(ds, "2001:db8::7"));
    }

    [Fact]
    public void SubstitutionWithoutTemplate()
    {
        var ds = _zones.Load("ip6trie", "$1 one\n::/0 :2:ip=$ v=$1 $$ end$\n");
        Assert.Equal("127.0.0.2 ip=2001:db8:c000::1 v=one $ end2001:db8:c000::1", Ip6ZoneText.Answer(ds, "2001:db8:c000::1"));
        Assert.Equal("127.0.0.2 ip=:: v=one $ end::", Ip6ZoneText.Answer(ds, "::"));
    }

    [Fact]
    public void DuplicatesAcrossFilesNameTheLaterFile()
    {
        string a = _zones.Write("a", "2001:db8::/32 :3:first\n");
        string b = _zones.Write("b", "\n2001:db8::/32 :4:second\n");
        var (ds, context) = Ip6ZoneText.LoadFiles("ip6trie", [a, b]);
        Assert.Equal("127.0.0.3 first", Ip6ZoneText.Answer(ds, "2001:db8::9"));
        var warning = Assert.Single(context.Warnings);
        Assert.Equal((b, 2, "duplicated entry for 2001:db8::/32"), (warning.File, warning.Line, warning.Message));
    }

    [Fact]
    public void DuplicatesAreWarnedInFileOrderAcrossFilesAtTheirLines()
    {
        // Address order differs from file order, and comments, default lines and bad lines shift the line
        // numbers (the build works them out from the entries' order and the places where lines jump).
        string a = _zones.Write("a", "# one\n2001:db8::1\n\n:3:x\n2001:db8::/32\n2001:db8:1::/48\n2001:db8::1 :4\n");
        string b = _zones.Write("b", "bad line\n2001:db8:1::/48\n::/0\n# two\n2001:db8::/32\n2001:db8::1\n::/0 :5\n");
        var (ds, context) = Ip6ZoneText.LoadFiles("ip6trie", [a, b]);
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8::1"));
        Assert.Equal("127.0.0.3 x", Ip6ZoneText.Answer(ds, "2001:db8::2"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "1::"));
        Assert.Equal(
            [
                "b:1 invalid address", // warned as read; duplicates once the build finds them
                "a:7 duplicated entry for 2001:db8::1/128",
                "b:2 duplicated entry for 2001:db8:1::/48",
                "b:5 duplicated entry for 2001:db8::/32",
                "b:6 duplicated entry for 2001:db8::1/128",
                "b:7 duplicated entry for ::/0",
            ],
            context.Warnings.Select(w => $"{Path.GetFileName(w.File)}:{w.Line} {w.Message}"));
    }

    [Fact]
    public void ExcludedEverythingThenHoles()
    {
        var ds = _zones.Load("ip6trie", "!::/0\n2001:db8::/32\n!2001:db8::/33\n2001:db8::1\n");
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "1::"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8::2"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8::1"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8:8000::"));
        Assert.True(ds.HasEntriesIn(Ip6ZoneText.Parse("2001:db8::"), Ip6ZoneText.Parse("2001:db8::1")));
        Assert.False(ds.HasEntriesIn(Ip6ZoneText.Parse("2001:db8::2"), Ip6ZoneText.Parse("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff")));
        Assert.True(ds.HasEntriesIn(Ip6ZoneText.Parse("2001:db8::2"), Ip6ZoneText.Parse("2001:db8:8000::")));
    }

    [Fact]
    public void EmptyDataset()
    {
        var (ds, context) = _zones.LoadWithContext("ip6trie", "# nothing\n:3:x\n");
        Assert.True(ds.Lookup(0).IsEmpty);
        Assert.False(ds.HasEntriesIn(UInt128.Zero, UInt128.MaxValue));
        Assert.Equal(0, ds.EntryCount);
        Assert.Equal("ip6trie", ds.Info.Type);
        Assert.Empty(context.Warnings);
    }

    [Fact]
    public void InfoCarriesSpecials()
    {
        var ds = _zones.Load("ip6trie", "$TTL 600\n$SOA 0 ns1 host 0 600 300 86400 120\n2001:db8::/32\n");
        Assert.Equal(600u, ds.Info.Ttl);
        Assert.NotNull(ds.Info.Soa);
        Assert.Single(ds.Info.Files);
    }
}
