using DnsblServer.Zones.Datasets.Ip4;
using System.Text;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Overlay;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Values;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests.Files;

/// <summary>A reload that would drop more than MaxShrinkPercent of the served entries is refused; the old data keeps serving.</summary>
public sealed class ShrinkGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsbl-shrink-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Addresses(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++) text.Append($"10.0.{i >> 8}.{i & 255}\n");
        return text.ToString();
    }

    private (ZoneSpec Spec, string Path) Zone(int entries)
    {
        string path = Path.Combine(_dir, "zone");
        File.WriteAllText(path, Addresses(entries));
        return (ZoneSpec.Parse($"bl.example:ip4set:{path}"), path);
    }

    private static long Served(ZoneSet set) => set.Datasets.Values.Single().Dataset!.EntryCount;

    [Theory]
    [InlineData(1000, 400, 50, true)]    // 60% fewer
    [InlineData(1000, 500, 50, false)]   // exactly 50%: allowed
    [InlineData(1000, 0, 50, false)]     // an empty file is not garbage, but ...
    [InlineData(1000, 400, 0, false)]    // 0 = off
    [InlineData(1000, 100, 95, false)]
    [InlineData(99, 1, 50, false)]       // small lists are not guarded
    [InlineData(1000, 2000, 50, false)]  // growth is fine
    public void RefusesBigDrops(int before, int after, int percent, bool refused)
    {
        var options = new LoadOptions { MaxShrinkPercent = percent };
        var (spec, path) = Zone(before);
        var first = ZoneSetLoader.Load([spec], options);
        Assert.True(first.Succeeded);
        File.WriteAllText(path, Addresses(after));
        var second = ZoneSetLoader.Load([spec], options, first.ZoneSet, force: true);
        if (after == 0 && percent == 50)
        {
            // ... dropping every entry is more than half
            refused = true;
        }
        Assert.Equal(!refused, second.Succeeded);
        Assert.Equal(refused ? before : after, Served(second.ZoneSet));
        if (refused)
        {
            var error = second.Reports.Single().Error!;
            Assert.Equal(LoadDiagnosticKind.ShrinkRefused, error.Kind);
            Assert.Equal(path, error.File);
            Assert.Contains($"from {before} to {after}", error.Message);
            Assert.Contains("MaxShrinkPercent", error.Message);
        }
    }

    [Fact]
    public void FirstLoadHasNothingToCompare()
    {
        var (spec, _) = Zone(1);
        Assert.True(ZoneSetLoader.Load([spec], new LoadOptions { MaxShrinkPercent = 1 }).Succeeded);
    }

    [Fact]
    public void DefaultIsFiftyPercent() => Assert.Equal(50, LoadOptions.Default.MaxShrinkPercent);

    [Fact]
    public void PushedEntriesAreNotCountedAsFileEntries()
    {
        // the served set carries admin pushes as an overlay: a reload of the same files must not look like a shrink
        var options = new LoadOptions { MaxShrinkPercent = 50 };
        var (spec, path) = Zone(100);
        var first = ZoneSetLoader.Load([spec], options).ZoneSet;
        var key = first.Datasets.Keys.Single();
        var served = (Ip4Dataset)first.Datasets[key].Dataset!;
        var changes = Enumerable.Range(0, 300).Select(i => new PrefixChange<uint>(0xC6330000u + (uint)i, 32, new DnsblValue(0x7F000002, null)));
        var pushed = served.WithOverlay(PrefixOverlay<uint>.Build(changes));
        Assert.Equal(400, pushed.EntryCount);
        Assert.Null(ShrinkGuard.Check([path], pushed, served, options));
    }
}
