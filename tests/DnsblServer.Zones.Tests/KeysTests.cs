using System.IO.Compression;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Keys;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests;

/// <summary>The keys dataset: <c>KEY [QUERIES_PER_DAY]</c> lines, comments, file:line warnings, gzip, and a keyed zone.</summary>
public sealed class KeysTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Fact]
    public void KeysAndQuotasAreReadWithWarningsForBadLines()
    {
        var result = _zones.LoadResult("keys", "# a comment\nAbC-1_2 1000\n  spaced\t5  # trailing comment\nunlimited\nzero 0\nbad.key 5\nabc-1_2 7\nnum x\nnum2 5 6\n"
            + new string('k', 64) + "\n");
        Assert.True(result.Succeeded, result.Error?.ToString());
        var keys = ((KeysDataset)result.Dataset!).Keys;
        Assert.Equal([new AccessKey("abc-1_2", 1000), new AccessKey("spaced", 5), new AccessKey("unlimited", 0), new AccessKey("zero", 0)], keys);
        Assert.Equal(
            ["6: invalid key (letters, digits, '-' and '_' only)", "7: key 'abc-1_2' repeated (keys ignore case); the first line is kept",
             "8: invalid queries-per-day (a whole number up to 4294967295, or nothing for no limit)",
             "9: invalid queries-per-day (a whole number up to 4294967295, or nothing for no limit)", "10: invalid key (longer than 63 characters)"],
            result.Warnings.Select(w => $"{w.Line}: {w.Message}"));
    }

    [Fact]
    public void AGzippedFileLoadsAndAKeyedZoneKnowsItsKeys()
    {
        string path = Path.Combine(Path.GetDirectoryName(_zones.Write("bl", "127.0.0.2\n"))!, "keys.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest)) gzip.Write("k1 10\nk2\n"u8);
        var set = ZoneSetLoader.Load([ZoneSpec.Parse("dq.test:ip4set:bl"), ZoneSpec.Parse("dq.test:keys:keys.gz"), ZoneSpec.Parse("bl.test:ip4set:bl")],
            new LoadOptions { WorkingDirectory = Path.GetDirectoryName(path) }).ZoneSet;
        var keyed = set.Zones.Single(z => z.Name == "dq.test");
        Assert.True(keyed.IsKeyed);
        Assert.Equal("keys:keys.gz", keyed.KeysDatasetKey);
        Assert.Equal(["k1", "k2"], keyed.Keys!.Keys.Select(k => k.Name));
        Assert.Equal(path, keyed.Keys.StatePath);
        Assert.Single(keyed.Ip4Datasets); // the keys are not data
        Assert.False(set.Zones.Single(z => z.Name == "bl.test").IsKeyed);
    }

    [Fact]
    public void AKeyedZoneWhoseKeysNeverLoadedIsNotServedAndKeysAreNotACombinedSection()
    {
        string dir = Path.GetDirectoryName(_zones.Write("bl", "127.0.0.2\n"))!;
        var set = ZoneSetLoader.Load([ZoneSpec.Parse("dq.test:ip4set:bl"), ZoneSpec.Parse("dq.test:keys:missing")], new LoadOptions { WorkingDirectory = dir }).ZoneSet;
        Assert.False(set.Zones.Single().IsLoaded);
        Assert.False(DatasetTypes.Find("keys")!.InCombined);
    }
}
