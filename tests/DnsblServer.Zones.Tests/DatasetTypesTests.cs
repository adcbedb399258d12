using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Combined;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Journal;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests;

/// <summary>The registry of dataset types, and that what reads it sees the lists it used to spell out itself.</summary>
public sealed class DatasetTypesTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Fact]
    public void NamesAreUniqueAndFound()
    {
        Assert.Equal(DatasetTypes.All.Count, DatasetTypes.All.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var type in DatasetTypes.All) Assert.Same(type, DatasetTypes.Find(type.Name));
        Assert.Null(DatasetTypes.Find("IP4SET")); // case-sensitive, as rbldnsd
        Assert.Null(DatasetTypes.Find("ip4"));
    }

    // Every parser builds datasets of the kind its entry declares: the query path casts by kind.
    [Fact]
    public void EveryParserBuildsItsDeclaredKind()
    {
        foreach (var type in DatasetTypes.All)
        {
            var result = _zones.LoadResult(type.Name, "");
            Assert.True(result.Succeeded, $"{type.Name}: {result.Error}");
            Assert.Equal(type.Kind, result.Dataset!.Kind);
            Assert.Equal(type.Name, result.Dataset.Info.Type);
        }
    }

    [Fact]
    public void ConsumersSeeTheListsTheyHadBefore()
    {
        Assert.Equal(["acl", "combined", "dnset", "generic", "ip4set", "ip4trie", "ip4tset", "ip6trie", "ip6tset", "keys"], ZoneSpec.KnownTypes.Order(StringComparer.Ordinal));
        Assert.Equal(["ip4set", "ip4tset", "ip4trie", "ip6trie", "ip6tset", "dnset", "generic"], CombinedParser.SubTypes);
        Assert.Equal("ip4set/ip4tset/ip4trie/ip6trie/ip6tset", PushedEntries.SupportedTypes);
        Assert.Equal("exempt", DatasetTypes.Exempt.Name);
        Assert.False(ZoneSpec.TryParse("z:exempt:f", out _, out _)); // our own type, not for zone specs
        Assert.True(ZoneSpec.TryParse(":acl:f", out _, out _));      // only an acl may have no zone name
        Assert.False(ZoneSpec.TryParse(":ip4set:f", out _, out _));
    }

    [Fact]
    public void AnUnknownTypeFailsTheLoadNamingIt()
    {
        var result = DatasetLoader.Load("ip5set", ["f"], LoadOptions.Default);
        Assert.False(result.Succeeded);
        Assert.Contains("unknown dataset type 'ip5set'", result.Error!.Message);
    }
}
