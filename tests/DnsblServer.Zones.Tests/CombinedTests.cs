using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Combined;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests;

/// <summary>combined loading: sections, subzones, the routing of specials and the aborted loads, as rbldnsd 1.0pre does them.</summary>
public sealed class CombinedTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    private CombinedDataset Load(string text, LoadOptions? options = null)
    {
        var result = _zones.LoadResult("combined", text, options);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return (CombinedDataset)result.Dataset!;
    }

    private LoadDiagnostic Fail(params string[] texts)
    {
        var files = texts.Select((t, i) => _zones.Write($"c{i}-{Guid.NewGuid():N}", t)).ToArray();
        var result = DatasetLoader.Load("combined", files, LoadOptions.Default);
        Assert.False(result.Succeeded);
        return result.Error!;
    }

    private static Ip4Dataset Ip4(CombinedDataset combined, string subzone, int index = 0) =>
        (Ip4Dataset)combined.Subzones.Single(s => s.Name == subzone).Datasets[index];

    private static (byte[] Name, byte[] Starts) Wire(string name)
    {
        byte[] wire = DomainName.ToWire(name);
        var starts = new List<byte>();
        for (int i = 0; wire[i] != 0; i += wire[i] + 1) starts.Add((byte)i);
        return (wire, starts.ToArray());
    }

    [Fact]
    public void SectionsBecomeSubdatasetsOfTheirTypeInTheirSubzones()
    {
        var combined = Load("""
            $DATASET ip4set @
            127.0.0.2
            $DATASET ip4trie:trie bl
            10.0.0.0/8 :3:trie
            $DATASET dnset dbl
            bad.example
            $DATASET generic @ gen
            www A 127.0.0.9
            $DATASET ip6trie v6
            2001:db8::/32
            $DATASET ip4tset t
            127.0.0.5
            $DATASET ip6tset t6
            2001:db8:a:b

            """);
        Assert.Equal(["ip4set", "ip4trie", "dnset", "generic", "ip6trie", "ip4tset", "ip6tset"], combined.Sections.Select(s => s.Type));
        Assert.Equal("trie", combined.Sections[1].Name);
        Assert.Equal(["", "gen"], combined.Sections[3].Subzones);
        Assert.IsType<GenericDataset>(combined.Subzones.Single(s => s.Name == "").Datasets[1]);
        Assert.IsType<Ip6Dataset>(combined.Subzones.Single(s => s.Name == "v6").Datasets[0]);
        Assert.IsType<DnsSetDataset>(combined.Subzones.Single(s => s.Name == "dbl").Datasets[0]);
        Assert.Equal("127.0.0.3 trie", ZoneText.Answer(Ip4(combined, "bl"), "10.1.2.3"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(Ip4(combined, "t"), "127.0.0.5"));
        Assert.Equal(7, combined.EntryCount);
    }

    [Fact]
    public void SubzonesAreOrderedMostSpecificFirstAndNamesParsedLikeDnsPtodn()
    {
        var combined = Load("""
            $DATASET ip4set @ a
            127.0.0.2
            $DATASET ip4set x.a b A..C. UPPER.Case . # c d
            127.0.0.3
            $DATASET ip4set:averyveryverylongnamethatexceeds20 a z#w x;y
            127.0.0.4

            """);
        Assert.Equal(["x.a", "a", "b", "a.c", "upper.case", "z#w", "x;y", ""], combined.Subzones.Select(s => s.Name));
        Assert.Equal(2, combined.Subzones.Single(s => s.Name == "a").Datasets.Count); // a named twice: both datasets
        Assert.Equal(2, combined.Subzones.Single(s => s.Name == "").Datasets.Count);  // @ and "."
        Assert.Equal("averyveryverylongnam", combined.Sections[2].Name);
        Assert.Equal([1, (byte)'a', 1, (byte)'c'], combined.Subzones.Single(s => s.Name == "a.c").WireName);
    }

    [Fact]
    public void TtlAndVariablesBelongToTheSectionSoaAndNsToTheBaseZone()
    {
        var combined = Load("""
            $TTL 1000
            $1 common
            $DATASET ip4set @
            $TTL 77
            $1 ignored: the common one came first
            $2 section
            :2:$1 $2
            127.0.0.2
            $SOA 0 ns.late.example hm.late.example 7 600 300 86400 30
            $NS 0 ns.late.example
            $DATASET ip4set b
            :3:$1 $2
            127.0.0.3
            $TIMESTAMP 2020:01:01 2035:01:01

            """);
        var a = Ip4(combined, "");
        var b = Ip4(combined, "b");
        Assert.Equal(77u, a.Info.Ttl);
        Assert.Equal(1000u, b.Info.Ttl);                // the common TTL, not the previous section's
        Assert.Equal(1000u, combined.Info.Ttl);
        Assert.Equal("127.0.0.2 common section", ZoneText.Answer(a, "127.0.0.2"));
        Assert.Equal("127.0.0.3 common $2", ZoneText.Answer(b, "127.0.0.3"));
        Assert.Equal(1000u, combined.Info.Soa!.Ttl);      // TTL 0 = the combined dataset's TTL
        Assert.Equal(1000u, combined.Info.Ns!.Ttl);
        Assert.Equal("ns.late.example", combined.Info.Soa.Origin);
        Assert.NotEqual(0, combined.Info.Expires);
        Assert.Null(a.Info.Soa);
        Assert.Equal(0, b.Info.Expires);
    }

    [Fact]
    public void MaxRange4IsOneLimitForTheWholeLoad()
    {
        var combined = Load("$MAXRANGE4 /16\n$DATASET ip4set @\n10.0.0.0/8\n$DATASET ip4trie b\n$MAXRANGE4 /8\n11.0.0.0/12\n11.1.0.0/16\n");
        Assert.Equal("-", ZoneText.Answer(Ip4(combined, ""), "10.0.0.1"));
        Assert.Equal("-", ZoneText.Answer(Ip4(combined, "b"), "11.2.0.1"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(Ip4(combined, "b"), "11.1.0.1"));
        Assert.Contains(combined.Info.Warnings, w => w.Message.Contains("ignoring attempt to increase $MAXRANGE4"));
    }

    [Fact]
    public void OddSectionsWarnAndKeepLoading()
    {
        var result = _zones.LoadResult("combined", "$DATASET ip4set\n127.0.0.3\n$DATASET ip4set bad\\999 " + new string('x', 64) + " ok\n127.0.0.4\n");
        Assert.True(result.Succeeded);
        var combined = (CombinedDataset)result.Dataset!;
        Assert.Equal(["ok"], combined.Subzones.Select(s => s.Name));
        Assert.Equal(2, combined.Sections.Count);        // the first serves nothing
        Assert.Equal(
            [(1, "no subzone(s) specified for dataset, data will be ignored"), (3, "invalid domain name `bad\\999'"), (3, $"invalid domain name `{new string('x', 60)}'")],
            result.Warnings.Select(w => (w.Line, w.Message)));
    }

    [Fact]
    public void BareDatasetKeywordIsAnUnknownSpecialAndTheSectionGoesOn()
    {
        var result = _zones.LoadResult("combined", "$DATASET ip4set @\n127.0.0.2\n$DATASET\n127.0.0.3\n");
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal((3, "invalid or unrecognized special entry"), (result.Warnings.Single().Line, result.Warnings.Single().Message));
        Assert.Equal("127.0.0.2", ZoneText.Answer(Ip4((CombinedDataset)result.Dataset!, ""), "127.0.0.3"));
    }

    [Theory]
    [InlineData("127.0.0.2\n$DATASET ip4set @\n", 1, "invalid/unrecognized entry - specify $DATASET line")]
    [InlineData("$TTL 60\n$SOA 60 a. b. 1 1 1 1 1\n:3:x\n", 3, "invalid/unrecognized entry - specify $DATASET line")]
    [InlineData("$DATASET ip4set @\n127.0.0.2\n$DATASET # closes the section\n127.0.0.3\n", 4, "invalid/unrecognized entry - specify $DATASET line")]
    [InlineData("$DATASET combined @\n", 1, "dataset type `combined' cannot be used inside `combined'")]
    [InlineData("$DATASET acl @\n", 1, "dataset type `acl' cannot be used inside `combined'")]
    [InlineData("$DATASET exempt @\n", 1, "unknown dataset type `exempt'")]
    [InlineData("$DATASET ip4set @\n127.0.0.2\n$DATASET IP4SET sub\n", 3, "unknown dataset type `IP4SET'")]
    [InlineData("$DATASET generic @\nwww 5x A 127.0.0.2\n", 2, "invalid TTL; rbldnsd stops loading the dataset on this line")]
    public void LoadIsAbortedAtFileAndLine(string text, int line, string message)
    {
        var error = Fail(text);
        Assert.Equal(line, error.Line);
        Assert.EndsWith(message, error.Message);
    }

    [Fact]
    public void NextFileStartsOutsideAnySectionUntilItsFirstSpecial()
    {
        Assert.Equal(1, Fail("$DATASET ip4set @\n:5:x\n127.0.0.2\n", "127.0.0.3\n").Line);
        var files = new[] { _zones.Write("m1", "$DATASET ip4set @\n:5:first file\n127.0.0.2\n"), _zones.Write("m2", "$TTL 99\n127.0.0.3\n") };
        var result = DatasetLoader.Load("combined", files, LoadOptions.Default);
        Assert.True(result.Succeeded, result.Error?.ToString());
        var set = Ip4((CombinedDataset)result.Dataset!, "");
        Assert.Equal("127.0.0.5 first file", ZoneText.Answer(set, "127.0.0.3")); // same section, same default value
        Assert.Equal(99u, set.Info.Ttl);
    }

    [Fact]
    public void ZoneServesSubzonesAsZonesWithAbsoluteNames()
    {
        string file = _zones.Write("comb", "$SOA 60 ns. hm. 7 1 1 1 1\n$DATASET ip4set @\n127.0.0.2\n$DATASET ip4set sub deep.sub\n127.0.0.3\n");
        var set = ZoneSetLoader.Load([ZoneSpec.Parse($"bl.example:combined:{file}")], LoadOptions.Default).ZoneSet;
        var zone = set.Zones.Single();
        Assert.True(zone.IsLoaded);
        Assert.Equal(7u, zone.Serial);
        var subzones = Assert.Single(zone.Combined);
        Assert.Equal(["deep.sub.bl.example", "sub.bl.example", "bl.example"], subzones.Zones.Select(z => z.Name));
        Assert.Equal(3, subzones.Zones[1].LabelCount);
        Assert.Single(subzones.Zones[1].Ip4Datasets);

        var (name, starts) = Wire("4.3.2.1.sub.bl.example");
        Assert.Equal(1, subzones.FindIndex(name, starts, out int below));
        Assert.Equal(4, below);
        (name, starts) = Wire("deep.sub.bl.example");
        Assert.Equal(0, subzones.FindIndex(name, starts, out below));
        Assert.Equal(0, below);
        (name, starts) = Wire("x.other.bl.example");
        Assert.Equal(2, subzones.FindIndex(name, starts, out below));
        Assert.Equal(2, below);
    }

    [Fact]
    public void FailedReloadKeepsTheOldDataAndAFailedFirstLoadIsNotServed()
    {
        string file = _zones.Write("comb", "$DATASET ip4set @\n127.0.0.2\n");
        var specs = new[] { ZoneSpec.Parse($"bl.example:combined:{file}") };
        var first = ZoneSetLoader.Load(specs, LoadOptions.Default);
        Assert.True(first.Succeeded);

        File.WriteAllText(file, "127.0.0.9\n$DATASET ip4set @\n127.0.0.3\n");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        var reload = ZoneSetLoader.Load(specs, LoadOptions.Default, first.ZoneSet);
        Assert.False(reload.Succeeded);
        Assert.Equal(1, reload.Reports.Single().Error!.Line);
        var zone = reload.ZoneSet.Zones.Single();
        Assert.True(zone.IsLoaded);
        Assert.Equal("127.0.0.2", ZoneText.Answer(zone.Combined[0].Zones[0].Ip4Datasets[0], "127.0.0.2"));

        var never = ZoneSetLoader.Load(specs, LoadOptions.Default);
        Assert.False(never.ZoneSet.Zones.Single().IsLoaded);
        Assert.Empty(never.ZoneSet.Zones.Single().Combined);
    }

    [Fact]
    public void CombinedIsAKnownTypeAndListsItsSubTypes()
    {
        Assert.True(DatasetLoader.IsKnownType("combined"));
        Assert.DoesNotContain("combined", CombinedParser.SubTypes);
        Assert.DoesNotContain("acl", CombinedParser.SubTypes);
    }
}
