using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests;

public sealed class ZoneSetTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    private static (byte[] Name, byte[] Starts) Wire(string name)
    {
        byte[] wire = DomainName.ToWire(name);
        var starts = new List<byte>();
        for (int i = 0; wire[i] != 0; i += wire[i] + 1) starts.Add((byte)i);
        return (wire, starts.ToArray());
    }

    [Fact]
    public void DatasetsReadSideBySideGiveTheSameSetAndReportsInSpecOrder()
    {
        var specs = new List<ZoneSpec>();
        for (int i = 0; i < 8; i++)
        {
            // every third dataset is broken (a missing file); each of the others lists its own address
            string file = i % 3 == 2 ? Path.Combine(Path.GetTempPath(), $"dnsbl-missing-{Guid.NewGuid():N}") : _zones.Write($"z{i}", $"10.0.0.{i}\n");
            specs.Add(ZoneSpec.Parse($"z{i}.example:ip4set:{file}"));
        }
        var one = ZoneSetLoader.Load(specs, LoadOptions.Default);
        var several = ZoneSetLoader.Load(specs, LoadOptions.Default, parallelism: 4);
        Assert.Equal(one.Reports.Select(r => (r.Key, r.Error?.Message)), several.Reports.Select(r => (r.Key, r.Error?.Message)));
        Assert.Equal(specs.Select(s => s.DatasetKey), several.Reports.Select(r => r.Key));
        for (int i = 0; i < 8; i++)
        {
            var dataset = (Ip4Dataset?)several.ZoneSet.Datasets[specs[i].DatasetKey].Dataset;
            if (i % 3 == 2) Assert.Null(dataset);
            else Assert.Equal("127.0.0.2", ZoneText.Answer(dataset!, $"10.0.0.{i}"));
        }
    }

    [Fact]
    public void LongestZoneWinsAndDatasetsAreShared()
    {
        string a = _zones.Write("a", "1.2.3.4\n");
        string b = _zones.Write("b", "$SOA 60 ns. hm. 7 1 1 1 1\n5.6.7.8\n");
        var specs = new[]
        {
            ZoneSpec.Parse($"bl.example:ip4set:{a}"),
            ZoneSpec.Parse($"sub.bl.example:ip4set:{b}"),
            ZoneSpec.Parse($"other.example:ip4set:{a}"),
        };
        var set = ZoneSetLoader.Load(specs, LoadOptions.Default).ZoneSet;
        Assert.Equal(2, set.Datasets.Count);
        Assert.Same(set.Zones.Single(z => z.Name == "bl.example").Datasets[0].Dataset, set.Zones.Single(z => z.Name == "other.example").Datasets[0].Dataset);

        var (name, starts) = Wire("4.3.2.1.sub.bl.example");
        Assert.Equal("sub.bl.example", set.Find(name, starts, out int below)!.Name);
        Assert.Equal(4, below);
        (name, starts) = Wire("bl.example");
        Assert.Equal("bl.example", set.Find(name, starts, out below)!.Name);
        Assert.Equal(0, below);
        (name, starts) = Wire("example");
        Assert.Null(set.Find(name, starts, out _));
        (name, starts) = Wire("xbl.example");
        Assert.Null(set.Find(name, starts, out _));
        Assert.Equal(7u, set.Zones.Single(z => z.Name == "sub.bl.example").Serial);
    }

    [Fact]
    public void ReloadReusesUnchangedAndKeepsOldDataOnFailure()
    {
        string a = _zones.Write("a", "1.2.3.4\n");
        string b = _zones.Write("b", "5.6.7.8\n");
        var specs = new[] { ZoneSpec.Parse($"a.example:ip4set:{a}"), ZoneSpec.Parse($"b.example:ip4set:{b}") };
        var first = ZoneSetLoader.Load(specs, LoadOptions.Default);
        Assert.True(first.Succeeded);

        File.Delete(b);
        var second = ZoneSetLoader.Load(specs, LoadOptions.Default, first.ZoneSet);
        Assert.False(second.Succeeded);
        Assert.False(second.Reports.Single(r => r.Key.EndsWith("/a")).Reloaded);
        var failed = second.Reports.Single(r => r.Key.EndsWith("/b"));
        Assert.True(failed.Reloaded);
        Assert.NotNull(failed.Error);
        // the old data of b keeps serving
        var zoneB = second.ZoneSet.Zones.Single(z => z.Name == "b.example");
        Assert.True(zoneB.IsLoaded);
        Assert.Equal("127.0.0.2", ZoneText.Answer((Ip4Dataset)zoneB.Datasets[0].Dataset!, "5.6.7.8"));
        Assert.Same(first.ZoneSet.Datasets.Values.First().Dataset, second.ZoneSet.Datasets.Values.First().Dataset);
    }

    [Fact]
    public void LoadHistoryRecordsAttemptsFailuresAndTheServedDataTime()
    {
        string b = _zones.Write("b", "5.6.7.8\n9.9.9.9 x\n");
        var clock = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var options = LoadOptions.Default with { Now = () => clock };
        var specs = new[] { ZoneSpec.Parse($"b.example:ip4set:{b}") };
        var firstSet = ZoneSetLoader.Load(specs, options).ZoneSet;
        var first = firstSet.Datasets.Values.Single();
        Assert.Equal(clock, first.LoadedAt);
        Assert.Equal(clock, first.LastAttemptAt);
        Assert.Equal(0, first.FailureCount);

        clock = clock.AddMinutes(1);
        File.Delete(b);
        var failedSet = ZoneSetLoader.Load(specs, options, firstSet).ZoneSet;
        var failed = failedSet.Datasets.Values.Single();
        Assert.Equal(clock.AddMinutes(-1), failed.LoadedAt); // the old data, loaded then, keeps serving
        Assert.Equal(clock, failed.LastAttemptAt);
        Assert.Equal(1, failed.FailureCount);
        Assert.NotNull(failed.LastError);

        clock = clock.AddMinutes(1);
        _zones.Write("b", "5.6.7.8\n");
        var again = ZoneSetLoader.Load(specs, options, failedSet).ZoneSet.Datasets.Values.Single();
        Assert.Equal(clock, again.LoadedAt);
        Assert.Equal(1, again.FailureCount); // a counter: it never goes down
        Assert.Null(again.LastError);
    }

    [Fact]
    public void ASymbolicLinkIsReadAndWatchedThroughToItsTarget()
    {
        string target = _zones.Write("target", "1.2.3.4\n1.2.3.5\n");
        string link = Path.Combine(Path.GetDirectoryName(target)!, "link");
        File.CreateSymbolicLink(link, target);
        var specs = new[] { ZoneSpec.Parse($"l.example:ip4set:{link}") };
        var result = ZoneSetLoader.Load(specs, LoadOptions.Default);
        Assert.True(result.Succeeded, result.Reports.Single().Error?.ToString());
        Assert.Equal("127.0.0.2", ZoneText.Answer((Ip4Dataset)result.ZoneSet.Zones[0].Datasets[0].Dataset!, "1.2.3.5"));
        Assert.False(ZoneSetLoader.NeedsReload(result.ZoneSet, LoadOptions.Default));

        File.WriteAllText(target, "1.2.3.4\n");
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(1));
        Assert.True(ZoneSetLoader.NeedsReload(result.ZoneSet, LoadOptions.Default));
    }

    [Fact]
    public void WithDatasetsKeepsTheGlobalAclAndTheZoneAcls()
    {
        string data = _zones.Write("data", "1.2.3.4\n");
        string acl = _zones.Write("acl", "127.0.0.1 :refuse\n");
        var specs = new[] { ZoneSpec.Parse($"a.example:ip4set:{data}"), ZoneSpec.Parse($"a.example:acl:{acl}"), ZoneSpec.Parse($":acl:{acl}") };
        var set = ZoneSetLoader.Load(specs, LoadOptions.Default).ZoneSet;
        var key = set.Datasets.Keys.Single(k => k.StartsWith("ip4set:"));
        var replaced = set.WithDatasets(new Dictionary<string, ZoneDataset> { [key] = set.Datasets[key] with { } });
        Assert.NotSame(set, replaced);
        Assert.Same(set.GlobalAcl, replaced.GlobalAcl);
        Assert.NotNull(replaced.GlobalAcl);
        Assert.Same(set.Zones[0].Acl, replaced.Zones[0].Acl);
    }

    [Fact]
    public void NeverLoadedZoneIsNotLoaded()
    {
        var result = ZoneSetLoader.Load([ZoneSpec.Parse("x.example:ip4set:/nonexistent")], LoadOptions.Default);
        Assert.False(result.ZoneSet.Zones[0].IsLoaded);
    }

    [Theory]
    [InlineData("0.0.127", true)]
    [InlineData("1.0.127", false)]
    [InlineData("127", true)]
    [InlineData("10", true)]   // 10.1.0.0/16 range
    [InlineData("9", false)]
    [InlineData("x.127", false)]
    public void PartialNamesFindEntriesBeneath(string labels, bool expected)
    {
        var ds = _zones.Load("ip4set", "127.0.0.2\n10.1.0.0/16\n");
        var (name, starts) = Wire(labels + ".zone");
        bool parsed = ReverseName.TryParsePartialIp4(name, starts, starts.Length - 1, out uint first, out uint last);
        Assert.Equal(expected, parsed && ds.HasEntriesIn(first, last));
    }
}
