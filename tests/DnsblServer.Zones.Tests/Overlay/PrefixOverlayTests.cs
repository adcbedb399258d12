using DnsblServer.TestSupport;
using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Overlay;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Tests.Overlay;

/// <summary>
/// Pushed changes layered over a dataset answer exactly as a full rebuild of the file with the
/// changes written into it: lines inside a changed prefix dropped, each add as <c>prefix :value</c>,
/// each remove as <c>!prefix</c> (ip4trie/ip6trie longest-prefix rules).
/// </summary>
public sealed class PrefixOverlayTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Fact]
    public void LongestPushedPrefixDecidesAndRemovesHideTheFile()
    {
        var data = _zones.Load("ip4trie", "10.0.0.0/8 :127.0.0.2:file\n10.1.2.3 :127.0.0.9:single\n");
        var overlay = PrefixOverlay<uint>.Build(
        [
            Change4("10.1.0.0", 16, null),           // remove 10.1/16 ...
            Change4("10.1.2.0", 24, ":127.0.0.3:pushed"), // ... but list 10.1.2/24
            Change4("10.1.2.0", 24, ":127.0.0.4:again"),  // a later change of the same prefix wins
        ]);
        var layered = data.WithOverlay(overlay);
        Assert.Equal("127.0.0.2 file", ZoneText.Answer(layered, "10.9.9.9"));
        Assert.Equal("-", ZoneText.Answer(layered, "10.1.9.9"));
        Assert.Equal("127.0.0.4 again", ZoneText.Answer(layered, "10.1.2.3")); // the pushed /24 beats the file's /32
        Assert.Equal("127.0.0.9 single", ZoneText.Answer(data, "10.1.2.3")); // the base is untouched
        Assert.True(layered.HasEntriesIn(Ip("10.1.0.0"), Ip("10.1.255.255")));
        Assert.False(layered.HasEntriesIn(Ip("10.1.3.0"), Ip("10.1.255.255")));
        Assert.Same(data.Map, layered.Map);
        Assert.Equal(2, overlay.Changes.Count);
    }

    [Fact]
    public void TheEdgesOfTheAddressSpace()
    {
        var data = _zones.Load("ip4trie", "0.0.0.0/0 :127.0.0.2:all\n");
        var layered = data.WithOverlay(PrefixOverlay<uint>.Build(
        [
            Change4("0.0.0.0", 0, null), Change4("255.255.255.0", 24, ":127.0.0.3:top"), Change4("255.255.255.255", 32, ":127.0.0.4:max"),
            Change4("0.0.0.0", 32, ":127.0.0.5:zero"), Change4("128.0.0.0", 1, ":127.0.0.6:upper"),
        ]));
        Assert.Equal("127.0.0.5 zero", ZoneText.Answer(layered, "0.0.0.0"));
        Assert.Equal("-", ZoneText.Answer(layered, "0.0.0.1"));
        Assert.Equal("-", ZoneText.Answer(layered, "127.255.255.255"));
        Assert.Equal("127.0.0.6 upper", ZoneText.Answer(layered, "128.0.0.0"));
        Assert.Equal("127.0.0.6 upper", ZoneText.Answer(layered, "255.255.254.255"));
        Assert.Equal("127.0.0.3 top", ZoneText.Answer(layered, "255.255.255.254"));
        Assert.Equal("127.0.0.4 max", ZoneText.Answer(layered, "255.255.255.255"));
        Assert.False(layered.HasEntriesIn(1, 0x7FFFFFFF));
        Assert.True(layered.HasEntriesIn(1, 0x80000000));
        Assert.Equal(5, layered.Overlay!.IntervalCount); // zero, the rest of the /1 below, upper, top, max
    }

    [Fact]
    public void ABigJournalBuildsQuickly()
    {
        var random = new Random(7);
        var changes = Enumerable.Range(0, 100_000).Select(i => new PrefixChange<uint>((uint)random.Next() & Ip4Text.Mask(i % 10 == 0 ? 24 : 32), i % 10 == 0 ? 24 : 32, i % 3 == 0 ? null : default(DnsblValue))).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var overlay = PrefixOverlay<uint>.Build(changes);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed}"); // about 0.1 s on a quiet core
        Assert.True(overlay.IntervalCount >= overlay.Changes.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Ip4OverlayEqualsAFullRebuild(int seed)
    {
        var random = new Random(seed);
        // a /20 of address space, so prefixes nest and overlap often and every address can be checked
        const uint Base = 0x0A000000;
        string RandomPrefix(out uint address, out int bits)
        {
            bits = random.Next(20, 33);
            address = (Base + (uint)random.Next(1 << 12)) & Ip4Text.Mask(bits);
            return $"{Ip4Text.ToText(address)}/{bits}";
        }
        var fileLines = new List<(uint Address, int Bits, string Line)>();
        for (int i = 0; i < 60; i++)
        {
            string prefix = RandomPrefix(out uint a, out int b);
            fileLines.Add((a, b, random.Next(5) == 0 ? $"!{prefix}" : $"{prefix} :127.0.0.{random.Next(2, 9)}:file {i}"));
        }
        var changes = new List<(uint Address, int Bits, string? Value)>();
        for (int i = 0; i < 40; i++)
        {
            RandomPrefix(out uint a, out int b);
            changes.Add((a, b, random.Next(3) == 0 ? null : $":127.0.0.{random.Next(2, 9)}:pushed {i}"));
        }

        var data = _zones.Load("ip4trie", string.Concat(fileLines.Select(l => l.Line + "\n")));
        var layered = data.WithOverlay(PrefixOverlay<uint>.Build(changes.Select(c => Change4(Ip4Text.ToText(c.Address), c.Bits, c.Value))));

        // the rebuild: the last change per prefix, file lines inside a changed prefix dropped
        var last = changes.GroupBy(c => (c.Address, c.Bits)).Select(g => g.Last()).ToList();
        bool Inside(uint a, int bits, (uint Address, int Bits, string?) c) => bits >= c.Bits && (a & Ip4Text.Mask(c.Bits)) == c.Address;
        var rebuilt = new StringBuilder();
        foreach (var line in fileLines.Where(l => !last.Any(c => Inside(l.Address, l.Bits, c)))) rebuilt.Append(line.Line).Append('\n');
        foreach (var c in last) rebuilt.Append(c.Value is null ? $"!{Ip4Text.ToText(c.Address)}/{c.Bits}\n" : $"{Ip4Text.ToText(c.Address)}/{c.Bits} {c.Value}\n");
        var full = _zones.Load("ip4trie", rebuilt.ToString());

        for (uint a = Base - 16; a < Base + (1 << 12) + 16; a++)
        {
            Assert.True(SameValues(full.Lookup(a), layered.Lookup(a)), $"{Ip4Text.ToText(a)}: rebuilt {ZoneText.Answer(full, Ip4Text.ToText(a))}, overlay {ZoneText.Answer(layered, Ip4Text.ToText(a))}");
        }
        for (int i = 0; i < 2000; i++)
        {
            uint first = Base - 8 + (uint)random.Next((1 << 12) + 16);
            uint lastAddress = first + (uint)random.Next(random.Next(2) == 0 ? 4 : 600);
            Assert.Equal(full.HasEntriesIn(first, lastAddress), layered.HasEntriesIn(first, lastAddress));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Ip6OverlayEqualsAFullRebuild(int seed)
    {
        var random = new Random(seed);
        UInt128 baseAddress = Ip6ZoneText.Parse("2001:db8::");
        UInt128 RandomPrefix(out int bits)
        {
            bits = random.Next(116, 129);
            return (baseAddress + (UInt128)(uint)random.Next(1 << 12)) & Ip6Text.Mask(bits);
        }
        var fileLines = new List<(UInt128 Address, int Bits, string Line)>();
        for (int i = 0; i < 60; i++)
        {
            var a = RandomPrefix(out int b);
            fileLines.Add((a, b, random.Next(5) == 0 ? $"!{Ip6Text.ToText(a)}/{b}" : $"{Ip6Text.ToText(a)}/{b} :127.0.0.{random.Next(2, 9)}:file {i}"));
        }
        var changes = new List<(UInt128 Address, int Bits, string? Value)>();
        for (int i = 0; i < 40; i++)
        {
            var a = RandomPrefix(out int b);
            changes.Add((a, b, random.Next(3) == 0 ? null : $":127.0.0.{random.Next(2, 9)}:pushed {i}"));
        }
        var (data, _) = Ip6ZoneText.LoadFiles("ip6trie", [_zones.Write("six-" + seed, string.Concat(fileLines.Select(l => l.Line + "\n")))]);
        var layered = data.WithOverlay(PrefixOverlay<UInt128>.Build(changes.Select(c => new PrefixChange<UInt128>(c.Address, c.Bits, Value(c.Value)))));

        var last = changes.GroupBy(c => (c.Address, c.Bits)).Select(g => g.Last()).ToList();
        bool Inside(UInt128 a, int bits, (UInt128 Address, int Bits, string?) c) => bits >= c.Bits && (a & Ip6Text.Mask(c.Bits)) == c.Address;
        var rebuilt = new StringBuilder();
        foreach (var line in fileLines.Where(l => !last.Any(c => Inside(l.Address, l.Bits, c)))) rebuilt.Append(line.Line).Append('\n');
        foreach (var c in last) rebuilt.Append(c.Value is null ? $"!{Ip6Text.ToText(c.Address)}/{c.Bits}\n" : $"{Ip6Text.ToText(c.Address)}/{c.Bits} {c.Value}\n");
        var (full, _) = Ip6ZoneText.LoadFiles("ip6trie", [_zones.Write("six-rebuilt-" + seed, rebuilt.ToString())]);

        for (UInt128 a = baseAddress - 16; a < baseAddress + (1 << 12) + 16; a++)
        {
            Assert.True(SameValues(full.Lookup(a), layered.Lookup(a)), Ip6Text.ToText(a));
        }
        for (int i = 0; i < 2000; i++)
        {
            UInt128 first = baseAddress - 8 + (uint)random.Next((1 << 12) + 16);
            UInt128 lastAddress = first + (uint)random.Next(600);
            Assert.Equal(full.HasEntriesIn(first, lastAddress), layered.HasEntriesIn(first, lastAddress));
        }
    }

    [Fact]
    public void LookupsThroughAnOverlayAllocateNothing()
    {
        var data = _zones.Load("ip4set", "10.0.0.0/8\n192.0.2.1\n");
        var changes = Enumerable.Range(0, 500).Select(i => Change4(Ip4Text.ToText(0xC6120000u + (uint)i * 4), 30, i % 3 == 0 ? null : ":127.0.0.3:x"));
        var layered = data.WithOverlay(PrefixOverlay<uint>.Build(changes));
        uint[] addresses = [0xC6120001, 0xC6120005, 0x0A010203, 0xC0000201, 0x01020304, 0xC6120000 + 2000];
        long sum = 0;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 10_000; i++) foreach (uint a in addresses) sum += layered.Lookup(a).Length + (layered.HasEntriesIn(a, a + 100) ? 1 : 0);
        }));
        Assert.True(sum > 0);
    }

    [Theory]
    [InlineData(null, "127.0.0.2 -")]
    [InlineData(":127.0.0.3:Listed $", "127.0.0.3 Listed \0")] // $ is stored as a marker, replaced by the address when answering
    [InlineData(":4", "127.0.0.4 -")]
    [InlineData("bare text", "127.0.0.2 bare text")]
    public void ValuesUseTheZoneFileSyntax(string? text, string expected)
    {
        Assert.True(OverlayValue.TryParse(text, out var value, out string? error), error);
        Assert.Equal(expected, $"{Ip4Text.ToText(value.Value.A)} {(value.Value.Txt is null ? "-" : Encoding.Latin1.GetString(value.Value.Txt))}");
        Assert.False(OverlayValue.TryParse(":0:x", out _, out _));
    }

    private static uint Ip(string text)
    {
        int pos = 0;
        Ip4Text.TryParseCidr(Encoding.ASCII.GetBytes(text), ref pos, out uint address, out _);
        return address;
    }

    private static PrefixChange<uint> Change4(string address, int bits, string? value) => new(Ip(address), bits, Value(value));

    private static DnsblValue? Value(string? text)
    {
        if (text is null) return null;
        Assert.True(OverlayValue.TryParse(text, out var value, out string? error), error);
        return value;
    }

    private static bool SameValues(ReadOnlySpan<DnsblValue> a, ReadOnlySpan<DnsblValue> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].A != b[i].A || !(a[i].Txt ?? []).AsSpan().SequenceEqual(b[i].Txt ?? [])) return false;
        }
        return true;
    }
}
