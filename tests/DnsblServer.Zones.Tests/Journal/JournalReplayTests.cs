using System.Diagnostics;
using System.Text;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Journal;

namespace DnsblServer.Zones.Tests.Journal;

/// <summary>Replay of damaged or unusual journal files: a directory, random bytes, CRLF line ends, and long journals.</summary>
public sealed class JournalReplayTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AJournalPathThatIsADirectoryIsAFaultNotAnEmptyJournal()
    {
        string path = _dir.GetPath("bl.journal");
        Directory.CreateDirectory(path);
        var journal = new EntryJournal("ip4set:bl", "ip4set", path);
        journal.Replay();
        Assert.NotNull(journal.Fault);
        Assert.Contains(path, journal.Fault);
        Assert.Contains("directory", journal.Fault);
        Assert.True(JournalChange.TryParseLine("+ 192.0.2.7", out var change, out _));
        Assert.Throws<InvalidOperationException>(() => journal.Append(change));

        // and the replay report carries it, for the host to log
        var specs = new[] { DnsblServer.Zones.ZoneSets.ZoneSpec.Parse("bl.test:ip4set:bl") };
        var pushed = DnsblServer.Zones.ZoneSets.ZoneSetLoader.OpenPushedEntries(specs, new DnsblServer.Zones.Files.LoadOptions { WorkingDirectory = _dir.Path }, null);
        Assert.Contains(path, Assert.Single(pushed.Replays).Fault);
    }

    [Fact]
    public void RandomBytesGiveAFewEscapedProblemsAndACount()
    {
        string path = _dir.GetPath("bl.journal");
        var random = new Random(15);
        byte[] bytes = new byte[1 << 20];
        random.NextBytes(bytes);
        bytes[^1] = (byte)'\n';
        File.WriteAllBytes(path, bytes);
        var journal = new EntryJournal("ip4set:bl", "ip4set", path);
        var problems = journal.Replay();
        Assert.Equal(EntryJournal.ReportedProblems, problems.Count);
        Assert.True(journal.UnreportedProblems > 3000, $"{journal.UnreportedProblems} unreported");
        Assert.All(problems, p => Assert.DoesNotContain(p, c => char.IsControl(c) || c == '\uFFFD'));
        Assert.Null(journal.Fault);
    }

    [Fact]
    public void ControlCharactersInAProblemAreEscaped()
    {
        string path = _dir.GetPath("bl.journal");
        File.WriteAllBytes(path, [.. "+ 192.0.2.\u001b[31m1\n+ "u8, 0xff, 0x07, (byte)'\n']);
        var problems = new EntryJournal("ip4set:bl", "ip4set", path).Replay();
        Assert.Equal(2, problems.Count);
        Assert.Contains("\\x1b[31m", problems[0]);
        Assert.Contains("\\ufffd\\x07", problems[1]);
    }

    [Fact]
    public void CrlfLineEndsKeepEveryEntry()
    {
        string path = _dir.GetPath("bl.journal");
        File.WriteAllText(path, "+ 192.0.2.7 :127.0.0.3:Listed $\r\n+ 192.0.2.8\r\n+ 10.0.0.0/8 :4\r\n- 10.0.0.0/8\r\n+ 198.51.100.0/24 Bare text\r\n");
        var journal = new EntryJournal("ip4set:bl", "ip4set", path);
        Assert.Empty(journal.Replay());
        Assert.Equal(["+ 192.0.2.7/32 :127.0.0.3:Listed $", "+ 192.0.2.8/32", "- 10.0.0.0/8", "+ 198.51.100.0/24 Bare text"],
            journal.Changes.Select(c => c.ToLine()));
    }

    [Fact]
    public void ReplayKeepsTheLastChangePerPrefixInAppendOrder()
    {
        string path = _dir.GetPath("bl.journal");
        File.WriteAllText(path, "+ 192.0.2.1 :3\n+ 192.0.2.2\n- 192.0.2.1\n+ 192.0.2.3\n= 192.0.2.2\n+ 192.0.2.2 :5\n");
        var journal = new EntryJournal("ip4set:bl", "ip4set", path);
        Assert.Empty(journal.Replay());
        Assert.Equal(["- 192.0.2.1/32", "+ 192.0.2.3/32", "+ 192.0.2.2/32 :5"], journal.Changes.Select(c => c.ToLine()));
    }

    [Fact]
    public void ReplayIsLinearInTheLines()
    {
        // the same 50,000 lines either as one journal or as 50 journals of 1,000: linear replay takes about as
        // long for both; the old replay (a scan of the changes so far per line) took 35 times longer for the one
        string small = Write(1_000), large = Write(50_000);
        Replay([small], 1_000);
        Replay([large], 50_000); // JIT, file cache and heap sizes, not measured
        var best = (Small: TimeSpan.MaxValue, Large: TimeSpan.MaxValue);
        for (int run = 0; run < 3; run++) // the best of interleaved runs: the machine is shared, a pause in one run is noise
        {
            best.Small = Min(best.Small, Replay(Enumerable.Repeat(small, 50), 1_000));
            best.Large = Min(best.Large, Replay([large], 50_000));
        }
        double ratio = best.Large.TotalSeconds / Math.Max(best.Small.TotalSeconds, 1e-4);
        string measured = $"50 x 1,000 lines {best.Small.TotalMilliseconds:0} ms, 1 x 50,000 lines {best.Large.TotalMilliseconds:0} ms: {ratio:0.0}x";
        output.WriteLine(measured);
        Assert.True(ratio < 8, measured);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private string Write(int lines)
    {
        string path = _dir.GetPath($"bl{lines}.journal");
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++) text.Append($"+ 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255} :127.0.0.{2 + i % 5}:text {i}\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static TimeSpan Replay(IEnumerable<string> paths, int lines)
    {
        var journals = paths.Select(p => new EntryJournal("ip4set:bl", "ip4set", p)).ToList();
        GC.Collect();
        var watch = Stopwatch.StartNew();
        foreach (var journal in journals) journal.Replay(); // all kept: the same live heap as one big journal
        watch.Stop();
        Assert.All(journals, j => Assert.Equal(lines, j.Changes.Count));
        return watch.Elapsed;
    }
}
