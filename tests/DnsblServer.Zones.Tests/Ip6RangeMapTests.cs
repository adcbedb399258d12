using DnsblServer.TestSupport;
using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip6;

namespace DnsblServer.Zones.Tests;

/// <summary>The IPv6 range map and its build against a naive longest-prefix reference.</summary>
public sealed class Ip6RangeMapTests : IDisposable
{
    private readonly Ip6ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    private sealed record Prefix(UInt128 First, UInt128 Last, int Bits, int A); // A 0 = exclusion

    // Addresses built from few distinct groups, so that prefixes nest, touch and repeat; with `spread`,
    // in four neighbouring /32s and one far one (the map's /32 index, and ranges reaching across /32s).
    private static UInt128 RandomAddress(Random random, bool spread = false)
    {
        UInt128 address = spread ? random.Next(5) switch { 4 => 0x2a000000u, var n => 0x20010db7u + (uint)n } : 0x20010db8;
        for (int g = 2; g < 8; g++)
        {
            ulong group = random.Next(4) switch { 0 => 0, 1 => 1, 2 => 0xffff, _ => (ulong)random.Next(0x10000) };
            if (g >= 3 && random.Next(3) == 0) group = 0;
            address = (address << 16) | group;
        }
        return address;
    }

    private static int RandomBits(Random random) => random.Next(6) switch
    {
        0 => 128,
        1 => 64,
        2 => 16 * random.Next(2, 8),
        3 => random.Next(96, 129),
        4 => random.Next(32, 129),
        _ => random.Next(60, 69),
    };

    // The longest prefix covering the address; of equal prefixes the first; an exclusion answers "-".
    private static string Reference(List<Prefix> prefixes, UInt128 address)
    {
        Prefix? best = null;
        foreach (var p in prefixes)
        {
            if (p.First <= address && address <= p.Last && (best is null || p.Bits > best.Bits)) best = p;
        }
        return best is null || best.A == 0 ? "-" : $"127.0.0.{best.A}";
    }

    [Theory]
    [InlineData(1, 300)]
    [InlineData(2, 1000)]
    [InlineData(3, 60)]
    [InlineData(4, 4000)]   // hundreds of singles and ranges
    [InlineData(5, 3000)]   // spread over /32s, some prefixes shorter than /32
    [InlineData(6, 400)]
    public void LongestPrefixLikeANaiveSearch(int seed, int count)
    {
        var random = new Random(seed);
        bool spread = seed >= 5;
        var prefixes = new List<Prefix>();
        var text = new StringBuilder();
        if (seed == 3) text.Append("::/0 :9\n");
        if (seed == 3) prefixes.Add(new Prefix(0, UInt128.MaxValue, 0, 9));
        for (int i = 0; i < count; i++)
        {
            int bits = spread && random.Next(20) == 0 ? random.Next(16, 32) : RandomBits(random);
            UInt128 first = RandomAddress(random, spread) & Ip6Text.Mask(bits);
            UInt128 last = first | ~Ip6Text.Mask(bits);
            bool excluded = random.Next(5) == 0;
            int a = excluded ? 0 : 2 + random.Next(6);
            text.Append(excluded ? "!" : "").Append($"{Ip6Text.ToText(first)}/{bits}").Append(excluded ? "\n" : $" :{a}\n");
            if (!prefixes.Any(p => p.First == first && p.Bits == bits)) prefixes.Add(new Prefix(first, last, bits, a));
        }
        var ds = _zones.Load("ip6trie", text.ToString());
        if (count >= 4000) Assert.True(ds.Map.SingleCount > 256 && ds.Map.RangeCount > 256, $"{ds.Map.SingleCount} singles, {ds.Map.RangeCount} ranges");

        var probes = new HashSet<UInt128>();
        foreach (var p in prefixes)
        {
            foreach (var q in new[] { p.First - 1, p.First, p.Last, p.Last + 1, p.First + (p.Last - p.First) / 2 }) probes.Add(q);
        }
        for (int i = 0; i < 3000; i++) probes.Add(RandomAddress(random, spread));
        foreach (var q in probes)
        {
            Assert.True(Reference(prefixes, q) == Answer(ds, q), $"{Ip6Text.ToText(q)}: expected {Reference(prefixes, q)}, got {Answer(ds, q)}");
        }

        // Spans: the answer only changes at a prefix edge, so checking the edges inside a span decides it.
        var edges = prefixes.SelectMany(p => new[] { p.First, p.Last + 1 }).Append(UInt128.Zero).Distinct().Order().ToArray();
        for (int i = 0; i < 2000; i++)
        {
            UInt128 x = random.Next(2) == 0 ? edges[random.Next(edges.Length)] : RandomAddress(random, spread);
            UInt128 y = random.Next(2) == 0 ? edges[random.Next(edges.Length)] - 1 : RandomAddress(random, spread);
            if (x > y) (x, y) = (y, x);
            bool expected = Reference(prefixes, x) != "-" || edges.Any(e => e > x && e <= y && Reference(prefixes, e) != "-");
            Assert.True(expected == ds.HasEntriesIn(x, y), $"[{Ip6Text.ToText(x)}, {Ip6Text.ToText(y)}]: expected {expected}");
        }

        // Entries: disjoint, ordered, and each answers like the map at both ends.
        UInt128? previousLast = null;
        foreach (var (first, last, set) in ds.Map.Entries())
        {
            Assert.True(previousLast is null || first > previousLast);
            Assert.True(first <= last);
            Assert.NotEqual(0, set);
            Assert.Equal(set, ds.Map.Find(first));
            Assert.Equal(set, ds.Map.Find(last));
            previousLast = last;
        }
    }

    [Theory]
    [InlineData(200)]   // set ids in bytes
    [InlineData(700)]   // in 16 bits
    public void EveryFormKeepsItsSetIdsWhateverTheirWidth(int values)
    {
        // Blocks, singles and ranges, each with its own TXT (one set per value): the writer sizes each form's
        // packed ids from its counting pass.
        var text = new StringBuilder();
        for (int i = 0; i < values; i++) text.Append($"2001:db8:{i:x}:1::/64 :2:b{i}\n2001:db8:{i:x}:2::1 :2:s{i}\n2001:db8:{i:x}:300::/56 :2:r{i}\n");
        var ds = _zones.Load("ip6trie", text.ToString());
        Assert.Equal((values, values, values), (ds.Map.BlockCount, ds.Map.SingleCount, ds.Map.RangeCount));
        for (int i = 0; i < values; i += 7)
        {
            Assert.Equal($"127.0.0.2 b{i}", Ip6ZoneText.Answer(ds, $"2001:db8:{i:x}:1::5"));
            Assert.Equal($"127.0.0.2 s{i}", Ip6ZoneText.Answer(ds, $"2001:db8:{i:x}:2::1"));
            Assert.Equal($"127.0.0.2 r{i}", Ip6ZoneText.Answer(ds, $"2001:db8:{i:x}:3ff::"));
        }
    }

    [Fact]
    public void SegmentsTakeTheCheapestForm()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 8; i++) text.Append($"2001:db8:1:{i}\n");        // 8 adjacent /64s: blocks
        for (int i = 0; i < 9; i++) text.Append($"2001:db8:2:{i}\n");        // 9: one range
        text.Append("2001:db8:3::/48\n");                                      // a range
        text.Append("2001:db8:4::1\n");                                        // a single
        text.Append("2001:db8:5:0 :3\n2001:db8:5:1 :4\n");                     // adjacent, other values: blocks
        text.Append("2001:db8:6:0\n!2001:db8:6:0::7\n");                       // cut: two ranges
        var ds = _zones.Load("ip6trie", text.ToString());
        Assert.Equal((10, 1, 4), (ds.Map.BlockCount, ds.Map.SingleCount, ds.Map.RangeCount));
        Assert.Equal(15, ds.EntryCount);
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8:2:8:ffff:ffff:ffff:ffff"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:2:9::"));
        Assert.Equal("127.0.0.4", Ip6ZoneText.Answer(ds, "2001:db8:5:1::"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:6:0::7"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8:6:0::8"));
    }

    [Fact]
    public void LookupAllocatesNothing()
    {
        var ds = _zones.Load("ip6trie", "2001:db8:1:2\n2001:db8::1\n2001:db8:3::/48\n!2001:db8:3::5\n");
        UInt128[] queries = [Ip6ZoneText.Parse("2001:db8:1:2::9"), Ip6ZoneText.Parse("2001:db8::1"), Ip6ZoneText.Parse("2001:db8:3::6"), Ip6ZoneText.Parse("2001:db8:3::5"), 0];
        int listed = 0;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                listed += ds.Lookup(queries[i % queries.Length]).Length;
                listed += ds.HasEntriesIn(queries[i % queries.Length], queries[(i + 1) % queries.Length]) ? 1 : 0;
            }
        }));
        Assert.True(listed > 0);
    }

    private static string Answer(Ip6Dataset ds, UInt128 address)
    {
        var values = ds.Lookup(address);
        return values.IsEmpty ? "-" : string.Join(" | ", values.ToArray().Select(v => Ip4Text.ToText(v.A)));
    }
}
