using System.Text;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Overlay;

namespace DnsblServer.Zones.Journal;

/// <summary>
/// The pushed changes of one dataset, in memory and in an append-only file (one line per change,
/// fsync'd before the change is served), so a restart replays them after the load. Only the last
/// change per prefix matters; the file is rewritten compacted when it holds many superseded lines.
/// Not thread-safe: <see cref="PushedEntries"/> serializes access.
/// </summary>
public sealed class EntryJournal
{
    private readonly List<JournalChange> _changes = [];
    private int _lines;
    private PrefixOverlay<uint>? _overlay4;
    private PrefixOverlay<UInt128>? _overlay6;

    internal EntryJournal(string datasetKey, string type, string path)
    {
        DatasetKey = datasetKey;
        Type = type;
        Path = path;
        IsIPv6 = DatasetTypes.KindOf(type) == DatasetKind.Ip6;
    }

    /// <summary>The dataset (<c>type:files</c>).</summary>
    public string DatasetKey { get; }

    /// <summary>The dataset type.</summary>
    public string Type { get; }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>True for an IPv6 dataset type (ip6trie, ip6tset).</summary>
    public bool IsIPv6 { get; }

    /// <summary>The current changes, the last one per prefix, oldest first.</summary>
    public IReadOnlyList<JournalChange> Changes => _changes;

    /// <summary>The journal file's size in bytes (0 when there is none).</summary>
    public long SizeInBytes => File.Exists(Path) ? new FileInfo(Path).Length : 0;

    /// <summary>Bad lines reported one by one; the rest are counted (as zone-file warnings are).</summary>
    public const int ReportedProblems = 5;

    /// <summary>Bad lines the last <see cref="Replay"/> skipped beyond the <see cref="ReportedProblems"/> it reported.</summary>
    public int UnreportedProblems { get; private set; }

    /// <summary>Why this journal cannot be used (its path is a directory, say); null when it can. Pushes to it are refused.</summary>
    public string? Fault { get; private set; }

    /// <summary>
    /// Reads the file, if any. A last line without its newline is a torn append (a crash before the
    /// fsync, so it was never acknowledged): it is ignored and cut off. Other bad lines are reported and
    /// skipped: the first <see cref="ReportedProblems"/> reported, the rest counted (<see cref="UnreportedProblems"/>), with
    /// control characters escaped (a journal of random bytes must not flood the log with them). CRLF
    /// line ends are accepted. Linear in the lines read: each prefix keeps only its last change.
    /// </summary>
    internal List<string> Replay()
    {
        var problems = new List<string>();
        if (Directory.Exists(Path))
        {
            Fault = $"{Path} is a directory, not a journal file";
            return problems;
        }
        if (!File.Exists(Path)) return problems;
        string text = File.ReadAllText(Path, Encoding.UTF8);
        string[] lines = text.Split('\n');
        bool torn = lines[^1].Length > 0;
        int unreported = 0;
        void Problem(string problem)
        {
            if (problems.Count < ReportedProblems) problems.Add(Printable.Escape(problem));
            else unreported++;
        }
        // the last change per prefix and the line it came from (the order Append keeps)
        var last = new Dictionary<string, (int Line, JournalChange Change)>();
        for (int i = 0; i < lines.Length - 1; i++)
        {
            string line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length == 0) continue;
            if (!JournalChange.TryParseLine(line, out var change, out string? error))
            {
                Problem($"{Path}:{i + 1}: {error}");
                continue;
            }
            if (change.IsIPv6 != IsIPv6)
            {
                Problem($"{Path}:{i + 1}: {(change.IsIPv6 ? "IPv6" : "IPv4")} entry in a {Type} journal");
                continue;
            }
            last[change.Prefix] = (i, change);
            _lines++;
        }
        _changes.Clear();
        _changes.AddRange(last.Values.Where(v => !v.Change.IsRevert).OrderBy(v => v.Line).Select(v => v.Change));
        Invalidate();
        UnreportedProblems = unreported;
        if (torn)
        {
            problems.Add($"{Path}:{lines.Length}: incomplete last line (an append cut short) ignored");
            Rewrite();
        }
        return problems;
    }

    /// <summary>Appends one change durably (write + fsync), then takes it into memory.</summary>
    internal void Append(JournalChange change)
    {
        if (Fault is not null) throw new InvalidOperationException(Fault);
        DurableFile.AppendLine(Path, change.ToLine());
        _lines++;
        Set(change);
        if (_lines > 2 * _changes.Count + 64) Rewrite(); // superseded lines: compact
    }

    /// <summary>Keeps only the changes <paramref name="keep"/> accepts and rewrites the file atomically; returns how many were dropped.</summary>
    internal int Retain(Func<JournalChange, bool> keep)
    {
        int dropped = _changes.RemoveAll(c => !keep(c));
        if (dropped > 0)
        {
            Invalidate();
            Rewrite();
        }
        return dropped;
    }

    /// <summary>The IPv4 overlay of the current changes (built once per change).</summary>
    public PrefixOverlay<uint>? Overlay4 => _changes.Count == 0 ? null : _overlay4 ??= PrefixOverlay<uint>.Build(_changes.Select(c => c.V4));

    /// <summary>The IPv6 overlay of the current changes (built once per change).</summary>
    public PrefixOverlay<UInt128>? Overlay6 => _changes.Count == 0 ? null : _overlay6 ??= PrefixOverlay<UInt128>.Build(_changes.Select(c => c.V6));

    private void Set(JournalChange change)
    {
        _changes.RemoveAll(c => c.Prefix == change.Prefix);
        if (!change.IsRevert) _changes.Add(change);
        Invalidate();
    }

    private void Invalidate()
    {
        _overlay4 = null;
        _overlay6 = null;
    }

    private void Rewrite()
    {
        if (_changes.Count == 0)
        {
            File.Delete(Path);
            DurableFile.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        }
        else
        {
            DurableFile.WriteAllText(Path, string.Concat(_changes.Select(c => c.ToLine() + "\n")));
        }
        _lines = _changes.Count;
    }
}
