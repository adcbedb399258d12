using DnsblServer.Addressing;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Tests;

/// <summary>The compact ip6trie scratch: its order, its merge of short and long prefixes, lines, values and duplicates.</summary>
public sealed class Ip6PrefixListTests
{
    private sealed record Added(UInt128 Network, int Bits, int Value, int File, int Line, int Ordinal);

    private static UInt128 RandomNetwork(Random random, int bits)
    {
        // few distinct groups, so equal top halves with and without low halves, and identical prefixes, are common
        UInt128 address = 0;
        for (int g = 0; g < 8; g++) address = (address << 16) | (uint)(random.Next(3) switch { 0 => 0, 1 => 0x2001, _ => random.Next(4) });
        return address & Ip6Text.Mask(bits);
    }

    private static (Ip6PrefixList List, List<Added> Added) Fill(int seed, int count, int inlineValueLimit, int reserve)
    {
        var random = new Random(seed);
        var list = new Ip6PrefixList(inlineValueLimit);
        list.Reserve(reserve);
        var added = new List<Added>();
        int file = 0, line = 0;
        for (int i = 0; i < count; i++)
        {
            if (random.Next(50) == 0) (file, line) = (file + 1, 0);       // a new file
            line += random.Next(4) == 0 ? 1 + random.Next(5) : 1;          // comments and default lines between entries
            int bits = random.Next(4) switch { 0 => 128, 1 => 64, 2 => random.Next(0, 129), _ => 16 * random.Next(0, 9) };
            // a third of the values the same, so that many /64s are stored in the plain 12-byte form
            int value = random.Next(6) == 0 ? -1 : random.Next(3) == 0 ? inlineValueLimit / 2 : random.Next(inlineValueLimit * 2 + 2);
            var network = RandomNetwork(random, bits);
            list.Add(network, bits, value, file, line);
            added.Add(new Added(network, bits, value, file, line, i));
        }
        return (list, added);
    }

    [Theory]
    [InlineData(1, 3000, 1000, 5000)]  // values inline, reserve large enough
    [InlineData(2, 3000, 7, 10)]       // most values above the inline limit; a reserve far too small (grows)
    [InlineData(3, 1, 1000, 0)]
    public void ReadsInAddressLengthFileOrderWithValuesAndLines(int seed, int count, int inlineValueLimit, int reserve)
    {
        var (list, added) = Fill(seed, count, inlineValueLimit, reserve);
        Assert.Equal(count, list.Count);
        list.Sort();
        var expected = added.OrderBy(a => a.Network).ThenBy(a => a.Bits).ThenBy(a => a.Ordinal).ToList();
        var reader = list.Read();
        foreach (var e in expected)
        {
            Assert.True(reader.MoveNext());
            Assert.Equal((e.Network, e.Bits, e.Ordinal, e.Value), (new UInt128(reader.High, reader.Low), reader.Bits, reader.Ordinal, reader.Value));
            Assert.Equal((e.File, e.Line), list.Position(reader.Ordinal));
        }
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void DuplicatesComeBackInFileOrderWithTheirLines()
    {
        // address order (::/0, 2001::/16, 2001::1) differs from file order; the first of each prefix is kept
        var list = new Ip6PrefixList();
        list.Add(Net("2001::1"), 128, 1, 0, 1);
        list.Add(Net("2001::"), 16, 2, 0, 2);
        list.Add(Net("::"), 0, 3, 0, 5);
        list.Add(Net("2001::1"), 128, 4, 0, 6); // duplicate
        list.Add(Net("::"), 0, 5, 1, 1);        // duplicate, next file
        list.Add(Net("2001::"), 16, 6, 1, 3);   // duplicate
        list.Add(Net("2001::1"), 128, 7, 1, 4); // duplicate
        var heard = new List<string>();
        var map = Ip6RangeMapBuilder.BuildLongestPrefix(list, new ValueSetBuilder(),
            (file, line, network, bits) => heard.Add($"{file}:{line} {Ip6Text.ToText(network)}/{bits}"));
        Assert.Equal(["0:6 2001::1/128", "1:1 ::/0", "1:3 2001::/16", "1:4 2001::1/128"], heard);
        Assert.Equal(5, map.Entries().Count()); // ::/0, 2001::/16 around 2001::1, ::/0 again
    }

    private static UInt128 Net(string text) => Ip6ZoneText.Parse(text);
}

/// <summary>The in-place radix sort of the prefixes against the framework's sort.</summary>
public sealed class RadixSortTests
{
    private static (ulong High, ulong Low) RandomKey(Random random)
    {
        // shared leading bytes (2001:db8:x), equal keys, and keys that differ only far down
        ulong high = random.Next(3) switch { 0 => 0x20010db8_00000000UL | ((ulong)(uint)random.Next(16) << 16), 1 => (ulong)random.NextInt64(), _ => 0x2a00_0000_0000_0000UL };
        ulong low = random.Next(4) == 0 ? 0 : ((ulong)(uint)random.Next(4) << 56) | (uint)random.Next(100);
        return (high, low);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 48)]      // one insertion sort
    [InlineData(4, 49)]      // one radix pass
    [InlineData(5, 5000)]
    [InlineData(6, 200000)]
    public void SortsLikeTheFrameworkSort(int seed, int count)
    {
        var random = new Random(seed);
        var shorts = new Ip6PrefixList.ShortPrefix[count];
        var plains = new Ip6PrefixList.PlainPrefix[count];
        var longs = new Ip6PrefixList.LongPrefix[count];
        for (int i = 0; i < count; i++)
        {
            var (high, low) = RandomKey(random);
            shorts[i] = new Ip6PrefixList.ShortPrefix(high, low);
            plains[i] = new Ip6PrefixList.PlainPrefix(high, (uint)low ^ (uint)(low >> 56));
            longs[i] = new Ip6PrefixList.LongPrefix(high, random.Next(3) == 0 ? 0 : low, (uint)random.Next(5));
        }
        var expectedShorts = shorts.OrderBy(x => x.High).ThenBy(x => x.Tag).ToArray();
        var expectedPlains = plains.OrderBy(x => x.High).ThenBy(x => x.Ordinal).ToArray();
        var expectedLongs = longs.OrderBy(x => x.High).ThenBy(x => x.Low).ThenBy(x => x.Tag).ToArray();
        RadixSort.Sort<Ip6PrefixList.ShortPrefix>(shorts);
        RadixSort.Sort<Ip6PrefixList.PlainPrefix>(plains);
        RadixSort.Sort<Ip6PrefixList.LongPrefix>(longs);
        Assert.Equal(expectedShorts, shorts);
        Assert.Equal(expectedPlains, plains);
        Assert.Equal(expectedLongs, longs);
    }

    [Fact]
    public void APlainPrefixIsTwelveBytes() => Assert.Equal(12, System.Runtime.CompilerServices.Unsafe.SizeOf<Ip6PrefixList.PlainPrefix>());
}
