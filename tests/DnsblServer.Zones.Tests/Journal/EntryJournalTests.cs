using DnsblServer.TestSupport;
using DnsblServer.Zones.Journal;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests.Journal;

/// <summary>Journal lines: what is accepted, how they are replayed, reverted, compacted, and how a torn append is handled.</summary>
public sealed class EntryJournalTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DatasetsSharingAFileGetJournalsOfTheirOwn()
    {
        var specs = new[] { "a.test:ip4set:bl", "b.test:ip4trie:bl", "c.test:ip4set:solo", "d.test:ip4set:a/b", "e.test:ip4set:a_b" }
            .Select(DnsblServer.Zones.ZoneSets.ZoneSpec.Parse).ToList();
        var options = new DnsblServer.Zones.Files.LoadOptions { WorkingDirectory = _dir.Path };
        var beside = ZoneSetLoader.OpenPushedEntries(specs, options, null);
        Assert.NotEqual(beside.Journal("ip4set:bl")!.Path, beside.Journal("ip4trie:bl")!.Path);
        Assert.Equal(Path.Combine(_dir.Path, "solo.journal"), beside.Journal("ip4set:solo")!.Path);

        string state = Path.Combine(_dir.Path, "state", "new");
        var inState = ZoneSetLoader.OpenPushedEntries(specs, options, state);
        Assert.True(Directory.Exists(state));
        Assert.Equal(5, specs.Select(s => inState.Journal(s.DatasetKey)!.Path).Distinct().Count());
    }

    [Theory]
    [InlineData("+ 192.0.2.7", "+ 192.0.2.7/32")]
    [InlineData("+ 192.0.2.0/24 :127.0.0.3:Listed $", "+ 192.0.2.0/24 :127.0.0.3:Listed $")]
    [InlineData("- 10.0.0.0/8", "- 10.0.0.0/8")]
    [InlineData("= 10.0.0.0/8", "= 10.0.0.0/8")]
    [InlineData("+ 2001:DB8::1", "+ 2001:db8::1/128")]
    [InlineData("- 2001:db8::/32", "- 2001:db8::/32")]
    [InlineData("+ 0.0.0.0/0 :2", "+ 0.0.0.0/0 :2")]
    public void ValidLinesRoundTrip(string line, string canonical)
    {
        Assert.True(JournalChange.TryParseLine(line, out var change, out string? error), error);
        Assert.Equal(canonical, change.ToLine());
    }

    [Theory]
    [InlineData("+ 192.0.2.7/24")]      // host bits
    [InlineData("+ 2001:db8::1/32")]    // host bits
    [InlineData("+ 192.0.2.7/33")]
    [InlineData("+ 192.0.2")]           // not an address
    [InlineData("+ fe80::1%eth0")]      // scoped
    [InlineData("- 192.0.2.7 :2")]      // a remove takes no value
    [InlineData("+ 192.0.2.7 :0:x")]    // invalid A
    [InlineData("* 192.0.2.7")]
    [InlineData("+192.0.2.7")]
    public void BadLinesAreRefused(string line) => Assert.False(JournalChange.TryParseLine(line, out _, out _));

    [Fact]
    public void ReplayRevertCompactAndTornAppend()
    {
        string path = _dir.GetPath("bl.journal");
        var journal = new EntryJournal("ip4set:bl", "ip4set", path);
        Assert.Empty(journal.Replay());
        Add(journal, "+ 192.0.2.7 :3");
        Add(journal, "- 10.0.0.0/8");
        Add(journal, "+ 192.0.2.7 :4");  // replaces the earlier change of the same prefix
        Add(journal, "= 10.0.0.0/8");    // forgets the remove
        Assert.Equal(["+ 192.0.2.7/32 :4"], journal.Changes.Select(c => c.ToLine()));
        Assert.Equal(4, File.ReadAllLines(path).Length);

        // a crash in the middle of an append: the torn line is ignored and cut off, the rest replays
        File.AppendAllText(path, "+ 198.51.100.12");
        var replayed = new EntryJournal("ip4set:bl", "ip4set", path);
        Assert.Single(replayed.Replay());
        Assert.Equal(["+ 192.0.2.7/32 :4"], replayed.Changes.Select(c => c.ToLine()));
        Assert.Equal("+ 192.0.2.7/32 :4\n", File.ReadAllText(path));
        Assert.Single(replayed.Overlay4!.Changes);

        // many superseded lines: the file is rewritten with only the changes that count
        for (int i = 0; i < 200; i++) Add(replayed, $"+ 192.0.2.8 :{2 + i % 5}");
        Assert.True(File.ReadAllLines(path).Length < 100);
        Assert.Equal(2, new EntryJournal("ip4set:bl", "ip4set", path) is var again && again.Replay().Count == 0 ? again.Changes.Count : -1);

        // an IPv6 line in an IPv4 journal is reported, not applied
        File.AppendAllText(path, "+ 2001:db8::1\n");
        var mixed = new EntryJournal("ip4set:bl", "ip4set", path);
        Assert.Contains(mixed.Replay(), p => p.Contains("IPv6 entry in a ip4set journal"));
        Assert.Equal(2, mixed.Changes.Count);
    }

    private static void Add(EntryJournal journal, string line)
    {
        Assert.True(JournalChange.TryParseLine(line, out var change, out string? error), error);
        journal.Append(change);
    }
}
