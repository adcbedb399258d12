namespace DnsblServer.Zones.Tests;

/// <summary>ip6tset against rbldnsd 1.0pre (20210120) observations: every row was probed on the real server.</summary>
public sealed class Ip6TSetTests : IDisposable
{
    private readonly Ip6ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Theory]
    [InlineData("2001:db8:0:1", "2001:db8:0:1:ffff:ffff:ffff:ffff", "127.0.0.2", "")]
    [InlineData("2001:db8:0:1", "2001:db8:0:2::", "-", "")]
    [InlineData("2001:DB8:0:A", "2001:db8:0:a::1", "127.0.0.2", "")]
    [InlineData("0:0:0:0", "::1", "127.0.0.2", "")]
    [InlineData("00001:2:3:4", "1:2:3:4::", "127.0.0.2", "")]
    [InlineData("2001:db8:0:1 :3:x", "2001:db8:0:1::", "127.0.0.2", "")]      // a value after a key is ignored
    [InlineData("2001:db8:0:1 junk", "2001:db8:0:1::", "127.0.0.2", "")]
    [InlineData("2001:db8:0:1#c", "2001:db8:0:1::", "127.0.0.2", "")]
    [InlineData("2001:db8:0:1;c", "2001:db8:0:1::", "127.0.0.2", "")]
    [InlineData("2001:db8:0:1/64", "2001:db8:0:1::", "-", "invalid address")]
    [InlineData("2001:db8:0:1:", "2001:db8:0:1::", "-", "invalid address")]
    [InlineData("2001:db8:0:1:3:x", "2001:db8:0:1::", "-", "invalid address")]
    [InlineData("2001:db8:0:1\r", "2001:db8:0:1::", "-", "invalid address")]
    [InlineData("2001:db8::", "2001:db8::", "-", "invalid address for regular entry (should be 64 bits)")]
    [InlineData("2001:db8:0:1:0:0:0:0", "2001:db8:0:1::", "-", "invalid address for regular entry (should be 64 bits)")]
    [InlineData("2001:db8:0", "2001:db8::", "-", "invalid address for regular entry (should be 64 bits)")]
    [InlineData("2001:db8::1:2", "2001:db8::1:2", "-", "invalid address for regular entry (should be 64 bits)")]
    [InlineData("2001:db8:0:1:2:3:4:5:6", "2001:db8:0:1::", "-", "invalid address for regular entry (should be 64 bits)")]
    [InlineData("2001", "2001::", "-", "invalid address for regular entry (should be 64 bits)")]
    [InlineData("!2001:db8:0:1", "2001:db8:0:1::", "-", "invalid address for exclusion (should be 128 bits)")]
    [InlineData("!2001:db8:0:1::5/128", "2001:db8:0:1::5", "-", "invalid address")]
    [InlineData("!2001:db8:0:1::5 :3:x", "2001:db8:0:1::5", "-", "")]
    [InlineData("!", "::", "-", "invalid address")]
    [InlineData("::1", "::1", "-", "invalid A RR")]                              // a value line in ip6tset
    [InlineData("::", "::", "-", "invalid A RR")]
    [InlineData(":3:x", "::", "-", "")]
    public void OneLine(string line, string query, string expected, string warning)
    {
        var (dataset, context) = _zones.LoadWithContext("ip6tset", line + "\n");
        Assert.Equal(expected, Ip6ZoneText.Answer(dataset, query));
        Assert.Equal(warning, string.Join("; ", context.Warnings.Select(w => w.Message)));
    }

    [Fact]
    public void FirstValueLineOfTheDatasetAndExclusionsAcrossFiles()
    {
        // Probed on rbldnsd with the same two files.
        var (ds, context) = _zones.LoadTexts("ip6tset", """
            2001:db8:0:1 :9:ignored
            ::1
            :bad
            :3:first $
            :4:second
            2001:db8:0:2
            !2001:db8:0:2::5
            !2001:db8:0:2::5
            !2001:db8:0:3::1

            """, """
            2001:db8:0:3
            2001:db8:0:1

            """);
        Assert.Equal("127.0.0.3 first 2001:db8:0:1::", Ip6ZoneText.Answer(ds, "2001:db8:0:1::"));
        Assert.Equal("127.0.0.3 first 2001:db8:0:1:ffff:ffff:ffff:ffff", Ip6ZoneText.Answer(ds, "2001:db8:0:1:ffff:ffff:ffff:ffff"));
        Assert.Equal("127.0.0.3 first 2001:db8:0:2::4", Ip6ZoneText.Answer(ds, "2001:db8:0:2::4"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:0:2::5"));
        Assert.Equal("127.0.0.3 first 2001:db8:0:2::6", Ip6ZoneText.Answer(ds, "2001:db8:0:2::6"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:0:3::1"));
        Assert.Equal("127.0.0.3 first 2001:db8:0:3::2", Ip6ZoneText.Answer(ds, "2001:db8:0:3::2"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:0:4::"));
        Assert.Equal(["2: invalid A RR", "3: invalid A RR"], context.Warnings.Select(w => $"{w.Line}: {w.Message}"));
    }

    [Fact]
    public void ValueLineInALaterFile()
    {
        var (ds, _) = _zones.LoadTexts("ip6tset", "2001:db8:0:1\n", ":5\n2001:db8:0:2\n");
        Assert.Equal("127.0.0.5", Ip6ZoneText.Answer(ds, "2001:db8:0:1::"));
        Assert.Equal("127.0.0.5", Ip6ZoneText.Answer(ds, "2001:db8:0:2::"));
    }

    [Fact]
    public void ExclusionsAtTheEdgesOfA64()
    {
        var ds = _zones.Load("ip6tset", "2001:db8:0:1\n!2001:db8:0:1::\n!2001:db8:0:1:ffff:ffff:ffff:ffff\n!2001:db8:0:1::\n2001:db8:0:1\n");
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:0:1::"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8:0:1::1"));
        Assert.Equal("127.0.0.2", Ip6ZoneText.Answer(ds, "2001:db8:0:1:ffff:ffff:ffff:fffe"));
        Assert.Equal("-", Ip6ZoneText.Answer(ds, "2001:db8:0:1:ffff:ffff:ffff:ffff"));
        Assert.Equal(1, ds.Map.RangeCount);
    }

    // A /64 costs its 4-byte tail plus 8 bytes per distinct /32 it shares with others: about 4 bytes in a
    // real list, where listings cluster in providers' allocations, and at most 12 when every /64 has a
    // /32 of its own (rbldnsd: 8 bytes).
    [Theory]
    [InlineData(300, 4.1)]         // 100,000 /64s in 300 /32s
    [InlineData(1 << 16, 8.5)]     // spread over a whole /16: about 1.5 per /32
    public void BytesPerSlash64(int slash32s, double maxBytes)
    {
        var random = new Random(64);
        var tops = Enumerable.Range(0, slash32s).Select(_ => 0x2a010000u | (uint)random.Next(1 << 16)).ToArray();
        var text = new System.Text.StringBuilder();
        var listed = new HashSet<ulong>();
        while (listed.Count < 100_000)
        {
            ulong key = (ulong)tops[random.Next(tops.Length)] << 32 | (uint)random.Next();
            if (listed.Add(key) && listed.Count % 3 == 0) listed.Add(key ^ 1); // some adjacent pairs, which stay blocks
        }
        foreach (ulong key in listed) text.Append($"{key >> 48:x}:{(key >> 32) & 0xffff:x}:{(key >> 16) & 0xffff:x}:{key & 0xffff:x}\n");
        var ds = _zones.Load("ip6tset", text.ToString());
        Assert.Equal(listed.Count, ds.Map.BlockCount);
        double perEntry = (double)ds.Map.SizeInBytes / listed.Count;
        Assert.True(perEntry < maxBytes, $"{perEntry:0.00} bytes per /64");
        foreach (ulong key in listed.Take(5000))
        {
            Assert.False(ds.Lookup((UInt128)key << 64).IsEmpty);
            Assert.False(ds.Lookup(((UInt128)key << 64) | ulong.MaxValue).IsEmpty);
            Assert.Equal(listed.Contains(key + 1), !ds.Lookup((UInt128)(key + 1) << 64).IsEmpty);
            Assert.Equal(listed.Contains(key - 1), !ds.Lookup(((UInt128)(key - 1) << 64) | 12345).IsEmpty);
        }
    }
}
