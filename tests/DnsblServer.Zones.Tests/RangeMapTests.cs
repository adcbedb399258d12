using System.Text;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>The range map's search paths (interpolated bucket search, range index) against a plain reference.</summary>
public sealed class RangeMapTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Theory]
    [InlineData(1, 5000, false)]    // dense, even
    [InlineData(2, 300, true)]      // clustered: interpolation guesses far off
    [InlineData(3, 3, false)]       // nearly empty bucket
    [InlineData(4, 60000, false)]   // almost full
    public void EveryAddressOfABucketAnswersLikeAReferenceSet(int seed, int count, bool clustered)
    {
        var random = new Random(seed);
        var listed = new HashSet<uint>();
        while (listed.Count < count)
        {
            uint low = clustered ? (uint)(random.Next(2) == 0 ? random.Next(0, 200) : random.Next(65000, 65536)) : (uint)random.Next(65536);
            listed.Add(0x0a010000u | low);
        }
        var text = new StringBuilder();
        foreach (uint a in listed) text.Append($"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}\n"); // unsorted on purpose
        text.Append("10.2.0.0/16\n10.0.255.255\n");
        var ds = (Ip4Dataset)DatasetLoader.Load("ip4set", [_zones.Write("z", text.ToString())], LoadOptions.Default).Dataset!;
        for (uint a = 0x0a010000; a <= 0x0a01ffff; a++)
        {
            Assert.True(listed.Contains(a) == !ds.Lookup(a).IsEmpty, $"address {a:x8}");
        }
        Assert.False(ds.Lookup(0x0a020005).IsEmpty);
        Assert.False(ds.Lookup(0x0a00ffff).IsEmpty);
        Assert.True(ds.Lookup(0x0a030000).IsEmpty);
    }

    [Fact]
    public void ManyRangesUseTheIndexAndStillFindEveryRange()
    {
        var text = new StringBuilder();
        var random = new Random(9);
        var nets = new SortedSet<uint>();
        while (nets.Count < 2000) nets.Add((uint)random.Next() & 0xfffff000u);
        foreach (uint n in nets) text.Append($"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}/20\n");
        var ds = (Ip4Dataset)DatasetLoader.Load("ip4trie", [_zones.Write("r", text.ToString())], LoadOptions.Default).Dataset!;
        foreach (uint n in nets)
        {
            Assert.False(ds.Lookup(n).IsEmpty);
            Assert.False(ds.Lookup(n + 4095).IsEmpty);
            Assert.Equal(nets.Contains(n + 4096), !ds.Lookup(n + 4096).IsEmpty);
            Assert.Equal(nets.Contains(n - 4096), !ds.Lookup(n - 1).IsEmpty);
        }
    }
}
