using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Journal;

/// <summary>
/// The journals of pushed entries for every IPv4/IPv6 dataset, and the step that layers them over
/// loaded data. Journals are replayed at startup (after the load: <c>ZoneSetLoader</c>, a layer above, layers
/// them over every set it builds) even when the admin API is off, so a restart never loses a pushed change.
/// Folding rule, applied each time a dataset's files are read again: a change the new data already
/// does is dropped from the journal (a removed prefix in which nothing is listed any more; a single
/// address listed with exactly the pushed value); every other change stays and keeps applying, so
/// nothing pushed is lost until the file itself carries it. Logs nothing: what replay and folding did is
/// returned (<see cref="Replays"/>, <see cref="Fold"/>) for the host to log.
/// </summary>
public sealed class PushedEntries
{
    private readonly Dictionary<string, EntryJournal> _journals = [];
    private readonly List<JournalReplay> _replays = [];
    private readonly Lock _sync = new();

    private PushedEntries() { }

    /// <summary>True for the dataset types entries can be pushed to (<see cref="DatasetType.AcceptsPushedEntries"/>).</summary>
    public static bool Supports(string type) => DatasetTypes.Find(type)?.AcceptsPushedEntries == true;

    /// <summary>The names of those types, for messages (<c>ip4set/ip4tset/...</c>).</summary>
    public static string SupportedTypes { get; } = string.Join('/', DatasetTypes.All.Where(t => t.AcceptsPushedEntries).Select(t => t.Name));

    /// <summary>Opens (and replays) the journal of every supported dataset of <paramref name="datasets"/>.</summary>
    /// <param name="datasets">The datasets served (key <c>type:files</c>, type, files), in configuration order; repeats are ignored.</param>
    /// <param name="options">Load settings (to resolve file names).</param>
    /// <param name="stateDirectory">Where journals go; null = beside each dataset's first file.</param>
    public static PushedEntries Open(IEnumerable<(string Key, string Type, IReadOnlyList<string> Files)> datasets, LoadOptions options, string? stateDirectory)
    {
        var pushed = new PushedEntries();
        if (stateDirectory is not null) Directory.CreateDirectory(stateDirectory);
        var supported = datasets.Where(d => Supports(d.Type)).DistinctBy(d => d.Key).ToList();
        foreach (var (key, type, files) in supported)
        {
            // FILE.journal beside the dataset's first file, unless another dataset starts with the same
            // file (ip4set:bl and ip4trie:bl): then the key's hash tells their journals apart
            bool shared = supported.Count(d => d.Files[0] == files[0]) > 1;
            string path = stateDirectory is null
                ? options.ResolvePath(files[0]) + (shared ? "." + KeyHash(key) : "") + ".journal"
                : Path.Combine(stateDirectory, string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + "." + KeyHash(key) + ".journal");
            var journal = new EntryJournal(key, type, path);
            var problems = journal.Replay();
            pushed._replays.Add(new JournalReplay(key, path, journal.Changes.Count, problems, journal.UnreportedProblems, journal.Fault));
            pushed._journals.Add(key, journal);
        }
        return pushed;
    }

    /// <summary>What the replay at <see cref="Open"/> found, one per journal.</summary>
    public IReadOnlyList<JournalReplay> Replays => _replays;

    private static string KeyHash(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..8];

    /// <summary>The journal of a dataset; null when its type takes no pushed entries.</summary>
    public EntryJournal? Journal(string datasetKey) => _journals.GetValueOrDefault(datasetKey);

    /// <summary>Records a change durably; the caller publishes the current set layered again (<see cref="Layer"/>) afterwards.</summary>
    public void Append(EntryJournal journal, JournalChange change)
    {
        lock (_sync) journal.Append(change);
    }

    /// <summary>The journal lines of the current changes.</summary>
    public string[] Lines(EntryJournal journal)
    {
        lock (_sync) return [.. journal.Changes.Select(c => c.ToLine())];
    }

    /// <summary>The journal lines of IPv4 changes whose prefix covers <paramref name="address"/>, by dataset (for <c>explain</c>).</summary>
    public List<(string Dataset, string Line)> Covering(uint address)
    {
        lock (_sync)
        {
            return [.. _journals.Values.Where(j => !j.IsIPv6)
                .SelectMany(j => j.Changes.Where(c => address >= c.V4.Address && address <= c.V4.Last).Select(c => (j.DatasetKey, c.ToLine())))];
        }
    }

    /// <summary>The changes and file size of a dataset's journal (for status).</summary>
    public (int Changes, long Bytes, string Path)? Describe(string datasetKey)
    {
        lock (_sync)
        {
            return _journals.TryGetValue(datasetKey, out var j) ? (j.Changes.Count, j.SizeInBytes, j.Path) : null;
        }
    }

    /// <summary>Drops from the journals what the freshly read <paramref name="datasets"/> already do; returns what was dropped, per journal.</summary>
    /// <param name="datasets">Datasets whose files were just read (by key), without pushed changes layered over them.</param>
    public List<JournalFold> Fold(IEnumerable<(string Key, Dataset Data)> datasets)
    {
        var folds = new List<JournalFold>();
        lock (_sync)
        {
            foreach (var (key, data) in datasets)
            {
                if (!_journals.TryGetValue(key, out var journal) || journal.Changes.Count == 0) continue;
                // a change that overlaps another one is kept: judged against the file alone, dropping
                // it could change what the other change, or the file under it, answers
                var overlapping = Overlapping(journal.Changes);
                int dropped = data switch
                {
                    Ip4Dataset d4 => journal.Retain(c => overlapping.Contains(c) || !AlreadyDone4(d4.WithOverlay(null), c)),
                    Ip6Dataset d6 => journal.Retain(c => overlapping.Contains(c) || !AlreadyDone6(d6.WithOverlay(null), c)),
                    _ => 0,
                };
                if (dropped > 0) folds.Add(new JournalFold(key, dropped, journal.Changes.Count));
            }
        }
        return folds;
    }

    /// <summary>
    /// The <paramref name="datasets"/> with their pushed changes layered over them (replacing any overlay they
    /// carried, so layering twice is harmless), by key; datasets that stay as they are are left out. The new
    /// datasets share all the big maps.
    /// </summary>
    public Dictionary<string, Dataset> Layer(IEnumerable<(string Key, Dataset? Data)> datasets)
    {
        var layered = new Dictionary<string, Dataset>();
        lock (_sync)
        {
            foreach (var (key, data) in datasets)
            {
                if (!_journals.TryGetValue(key, out var journal)) continue;
                Dataset? replaced = data switch
                {
                    Ip4Dataset d4 when !ReferenceEquals(d4.Overlay, journal.Overlay4) => d4.WithOverlay(journal.Overlay4),
                    Ip6Dataset d6 when !ReferenceEquals(d6.Overlay, journal.Overlay6) => d6.WithOverlay(journal.Overlay6),
                    _ => null,
                };
                if (replaced is not null) layered.Add(key, replaced);
            }
        }
        return layered;
    }

    // The changes whose prefix meets another change's (prefixes nest or are apart): sorted by first
    // address, a change meets an earlier one when it starts within the furthest end so far, and a later
    // one when the next starts within it.
    private static HashSet<JournalChange> Overlapping(IReadOnlyList<JournalChange> changes)
    {
        static (UInt128 First, UInt128 Last) Span(JournalChange c) => c.IsIPv6 ? (c.V6.Address, c.V6.Last) : (c.V4.Address, c.V4.Last);
        var sorted = changes.Select(c => (Change: c, Span: Span(c))).OrderBy(x => x.Span.First).ThenByDescending(x => x.Span.Last).ToArray();
        var overlapping = new HashSet<JournalChange>(ReferenceEqualityComparer.Instance);
        UInt128 furthest = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            var (change, (first, last)) = sorted[i];
            if ((i > 0 && first <= furthest) || (i + 1 < sorted.Length && sorted[i + 1].Span.First <= last)) overlapping.Add(change);
            if (i == 0 || last > furthest) furthest = last;
        }
        return overlapping;
    }

    private static bool AlreadyDone4(Ip4Dataset data, JournalChange change)
    {
        var c = change.V4;
        if (!c.IsAdd) return !data.HasEntriesIn(c.Address, c.Last);
        return c.Bits == 32 && data.Lookup(c.Address) is [var only] && only.A == c.Value!.Value.A && TxtEqual(only.Txt, c.Value.Value.Txt);
    }

    private static bool AlreadyDone6(Ip6Dataset data, JournalChange change)
    {
        var c = change.V6;
        if (!c.IsAdd) return !data.HasEntriesIn(c.Address, c.Last);
        return c.Bits == 128 && data.Lookup(c.Address) is [var only] && only.A == c.Value!.Value.A && TxtEqual(only.Txt, c.Value.Value.Txt);
    }

    private static bool TxtEqual(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
