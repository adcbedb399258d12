using DnsblServer.Serving.Keys;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Tests.Keys;

/// <summary>What keyed access keeps across restarts: the usage file and the journal of pushed keys, beside the keys file or in a state directory.</summary>
public sealed class KeyAccessTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly long _now = new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc).Ticks;

    public KeyAccessTests()
    {
        _dir.Write("bl", "127.0.0.2\n");
        _dir.Write("keys.txt", "a 5\nb\n");
    }

    public void Dispose() => _dir.Dispose();

    private Zone KeyedZone() => ZoneSetLoader.Load([ZoneSpec.Parse("dq.test:ip4set:bl"), ZoneSpec.Parse("dq.test:keys:keys.txt")],
        new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet.Zones.Single();

    private KeyAccess Open(string? stateDirectory = null)
    {
        var access = new KeyAccess(new KeyOptions { StateDirectory = stateDirectory }) { UtcTicks = () => _now };
        Assert.Empty(access.Open("keys:keys.txt", _dir.GetPath("keys.txt")));
        return access;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CountsAndPushedKeysComeBackAfterARestart(bool stateDirectory)
    {
        string? state = stateDirectory ? _dir.GetPath("state") : null;
        var zone = KeyedZone();
        var first = Open(state);
        var table = first.Table(zone)!;
        for (int i = 0; i < 4; i++) Assert.True(table.Admit(table.Find("A"u8), _now));
        first.Change("keys:keys.txt", "B", null);
        first.Change("keys:keys.txt", "c", 2);
        Assert.Equal(1, first.Save());
        Assert.Equal(0, first.Save()); // unchanged: not written again
        string usage = stateDirectory ? Directory.GetFiles(state!, "*.usage").Single() : _dir.GetPath("keys.txt.usage");
        if (stateDirectory) Assert.StartsWith("keys_keys.txt.", Path.GetFileName(usage), StringComparison.Ordinal);
        Assert.Contains("a 739952 4 ", File.ReadAllText(usage));

        var second = Open(state);
        table = second.Table(zone)!;
        Assert.Equal(["a", "c"], Enumerable.Range(0, table.Count).Select(table.Name));
        Assert.True(table.Admit(table.Find("a"u8), _now));   // the fifth of 5
        Assert.False(table.Admit(table.Find("a"u8), _now));  // the sixth
        Assert.Equal(-1, table.Find("b"u8));                  // revoked
        Assert.Equal(2, table.QueriesPerDay(table.Find("C"u8)));
        Assert.Equal(6, second.Usage("keys:keys.txt", zone.Keys).Single(u => u.Name == "a").Today);
    }

    [Fact]
    public void AJournalLineCutShortByACrashIsIgnoredAndBadLinesAreReported()
    {
        _dir.Write("keys.txt.journal", "+ c 3\n- a\nnonsense\n+ d 1");
        _dir.Write("keys.txt.usage", "# header\na 739952 2 1796300000\nbroken line\n");
        var access = new KeyAccess { UtcTicks = () => _now };
        var problems = access.Open("keys:keys.txt", _dir.GetPath("keys.txt"));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.EndsWith("keys.txt.journal:3: not '+ KEY [QUOTA]' or '- KEY', skipped", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("keys.txt.usage:3: not 'KEY DAY COUNT LASTSEEN', skipped", StringComparison.Ordinal));
        var table = access.Table(KeyedZone())!;
        Assert.Equal(["b", "c"], Enumerable.Range(0, table.Count).Select(table.Name));
    }

    [Fact]
    public void TheDefaultClockIsUtcToWithinAFewMilliseconds()
    {
        long clock = new KeyAccess().UtcTicks();
        Assert.InRange(clock, DateTime.UtcNow.Ticks - TimeSpan.TicksPerSecond / 10, DateTime.UtcNow.Ticks + TimeSpan.TicksPerSecond / 10);
    }
}
