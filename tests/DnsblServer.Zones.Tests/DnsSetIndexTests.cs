using System.Text;
using DnsblServer.Zones.Datasets.Dns;

namespace DnsblServer.Zones.Tests;

/// <summary>The front-coded name index and the name text helpers.</summary>
public sealed class DnsSetIndexTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 15)]
    [InlineData(3, 16)]
    [InlineData(4, 17)]
    [InlineData(5, 3000)]
    public void FindsExactlyTheStoredKeys(int seed, int count)
    {
        var random = new Random(seed);
        var stored = new SortedDictionary<byte[], (int, int)>(ByteOrder.Instance);
        // Short alphabets and lengths so keys share long prefixes, are prefixes of each other, and hold 0 bytes.
        byte[] RandomKey() => Enumerable.Range(0, random.Next(1, 14)).Select(_ => (byte)random.Next(4)).ToArray();
        while (stored.Count < count) stored[RandomKey()] = (random.Next(5), random.Next(5));
        var index = Build(stored.Select(e => (e.Key, e.Value.Item1, e.Value.Item2)));

        Assert.Equal(count, index.Count);
        Assert.Equal(stored.Keys.Select(Convert.ToHexString), index.Entries().Select(e => Convert.ToHexString(e.Key)));
        foreach (var (key, (plain, wildcard)) in stored)
        {
            Assert.True(index.TryFind(key, out int p, out int w), Convert.ToHexString(key));
            Assert.Equal((plain, wildcard), (p, w));
        }
        for (int i = 0; i < 20000; i++)
        {
            byte[] probe = RandomKey();
            Assert.Equal(stored.ContainsKey(probe), index.TryFind(probe, out _, out _));
        }
        Assert.False(index.TryFind([], out _, out _));
    }

    [Fact]
    public void LargeStatesUseSeveralBytes()
    {
        var index = Build([([1, (byte)'a'], 300, 1 << 20), ([1, (byte)'b'], 2, 0)]);
        Assert.True(index.TryFind([1, (byte)'a'], out int p, out int w));
        Assert.Equal((300, 1 << 20), (p, w));
        Assert.True(index.TryFind([1, (byte)'b'], out p, out w));
        Assert.Equal((2, 0), (p, w));
    }

    [Fact]
    public void WritingOtherEntriesThanMeasuredFails()
    {
        var measured = new DnsNameIndexBuilder();
        measured.Add([1, (byte)'a'], 2, 0);
        measured.Add([1, (byte)'b'], 2, 0);
        Assert.Throws<InvalidOperationException>(measured.Build); // a measuring builder has nothing to build
        var fewer = new DnsNameIndexBuilder(measured);
        fewer.Add([1, (byte)'a'], 2, 0);
        Assert.Throws<InvalidOperationException>(fewer.Build);
        var more = new DnsNameIndexBuilder(measured);
        Assert.Throws<InvalidOperationException>(() =>
        {
            more.Add([1, (byte)'a'], 2, 0);
            more.Add([1, (byte)'b'], 2, 1);
            more.Add([1, (byte)'c'], 2, 0);
            more.Build();
        });
        Assert.Equal(0, Build([]).Count);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 50)]
    public void AMergeReplaysTheOrderItRecorded(int seed, int chunkRecords)
    {
        var random = new Random(seed);
        string[] labels = ["a", "b", "ab", "c"];
        var runs = new List<byte[]>();
        var chunk = new DnsNameChunk(chunkRecords);
        int records = 0;
        for (int line = 0; line < 200; line++)
        {
            byte[] wire = DnsZoneText.Wire(string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => labels[random.Next(labels.Length)])));
            if (!chunk.TryAdd(wire, (byte)random.Next(1, 4), random.Next(-1, 3)))
            {
                runs.Add(chunk.ToRun());
                Assert.True(chunk.TryAdd(wire, 1, line));
            }
            records++;
        }
        runs.Add(chunk.ToRun());
        var order = new byte[records];
        var compared = Drain(new DnsNameRunMerge(runs, order));
        Assert.Equal(records, compared.Count);
        Assert.Equal(compared, Drain(new DnsNameRunMerge(runs)));
        Assert.Equal(compared, Drain(new DnsNameRunMerge(runs, order, replay: true)));
        Assert.Equal(compared.Select(r => r.Key).Order(StringComparer.Ordinal), compared.Select(r => r.Key)); // hex of the keys sorts like the keys

        static List<(string Key, byte Arrays, int Value)> Drain(DnsNameRunMerge merge)
        {
            var list = new List<(string, byte, int)>();
            while (merge.MoveNext()) list.Add((Convert.ToHexString(merge.Key), merge.Arrays, merge.Value));
            return list;
        }
    }

    [Fact]
    public void TooManyRunsToRecordTheirOrder()
    {
        var runs = Enumerable.Repeat(Array.Empty<byte>(), DnsNameRunMerge.MaxRecordedRuns + 1).ToList();
        Assert.False(new DnsNameRunMerge(runs).MoveNext());
        Assert.Throws<ArgumentException>(() => new DnsNameRunMerge(runs, new byte[1]));
    }

    // The two passes the parser makes: measure, then write into arrays of the measured size.
    private static DnsNameIndex Build(IEnumerable<(byte[] Key, int Plain, int Wildcard)> entries)
    {
        var list = entries.ToList();
        var measured = new DnsNameIndexBuilder();
        foreach (var (key, plain, wildcard) in list) measured.Add(key, plain, wildcard);
        var builder = new DnsNameIndexBuilder(measured);
        foreach (var (key, plain, wildcard) in list) builder.Add(key, plain, wildcard);
        return builder.Build();
    }

    [Theory]
    [InlineData("example.com", "07example03com")]
    [InlineData("example.com.", "07example03com")]
    [InlineData(".example..com...", "07example03com")]
    [InlineData("a\\.b.c", "03a.b01c")]
    [InlineData("\\065\\66c\\0", "04AB" + "c" + "\0")]
    [InlineData("x\\", "01x")]
    [InlineData(".", "")]
    [InlineData("", "")]
    public void ParsesLikeDnsPtodn(string text, string expected)
    {
        var wire = new byte[DnsNameText.MaxWireLength];
        Assert.True(DnsNameText.TryParse(Encoding.Latin1.GetBytes(text), wire, out int length));
        Assert.Equal(Readable(expected), Encoding.Latin1.GetString(wire, 0, length));
    }

    [Theory]
    [InlineData("\\256.com")]
    public void RejectsWhatDnsPtodnRejects(string text)
    {
        Assert.False(DnsNameText.TryParse(Encoding.Latin1.GetBytes(text), new byte[DnsNameText.MaxWireLength], out _));
    }

    [Fact]
    public void LengthLimits()
    {
        var wire = new byte[DnsNameText.MaxWireLength];
        Assert.True(DnsNameText.TryParse(Encoding.ASCII.GetBytes(new string('a', 63)), wire, out _));
        Assert.False(DnsNameText.TryParse(Encoding.ASCII.GetBytes(new string('a', 64)), wire, out _));
        string label = new string('a', 63);
        string name253 = $"{label}.{label}.{label}.{new string('a', 61)}";  // 253 characters: 255 wire bytes with the root
        Assert.True(DnsNameText.TryParse(Encoding.ASCII.GetBytes(name253), wire, out int length));
        Assert.Equal(254, length);
        Assert.False(DnsNameText.TryParse(Encoding.ASCII.GetBytes(name253 + "a"), wire, out _));
        Assert.False(DnsNameText.TryParse(Encoding.ASCII.GetBytes(name253 + ".a"), wire, out _));
    }

    [Theory]
    [InlineData("07example03com", "example.com")]
    [InlineData("", ".")]
    [InlineData("03a\"b01;", "a\\\"b.\\;")]
    [InlineData("03a.b02@$", "a\\.b.\\@\\$")]
    [InlineData("02 \u007f", "\\032\\127")]
    public void FormatsLikeDnsDntop(string wire, string expected)
    {
        var text = new byte[DnsNameText.MaxTextLength];
        int n = DnsNameText.Format(Encoding.Latin1.GetBytes(Readable(wire)), text);
        Assert.Equal(expected, Encoding.Latin1.GetString(text, 0, n));
    }

    // "07example03com": two-digit label lengths written in decimal, for readable test data.
    private static string Readable(string s)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length;)
        {
            int n = int.Parse(s.AsSpan(i, 2));
            sb.Append((char)n).Append(s, i + 2, n);
            i += 2 + n;
        }
        return sb.ToString();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
