using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// The journals of pushed entries for every IPv4/IPv6 dataset, and the step that layers them over
/// loaded data. Journals are replayed at startup (after the load, through <see cref="Apply"/>) even
/// when the admin API is off, so a restart never loses a pushed change.
/// Folding rule, applied each time a dataset's files are read again: a change the new data already
/// does is dropped from the journal (a removed prefix in which nothing is listed any more; a single
/// address listed with exactly the pushed value); every other change stays and keeps applying, so
/// nothing pushed is lost until the file itself carries it.
/// </summary>
internal sealed class PushedEntries
{
    private readonly Dictionary<string, EntryJournal> _journals = [];
    private readonly Lock _sync = new();
    private readonly ILogger _logger;

    private PushedEntries(ILogger logger) => _logger = logger;

    /// <summary>True for the dataset types entries can be pushed to.</summary>
    public static bool Supports(string type) => type is "ip4set" or "ip4tset" or "ip4trie" or "ip6trie" or "ip6tset";

    /// <summary>Opens (and replays) the journal of every supported dataset of <paramref name="specs"/>.</summary>
    /// <param name="specs">The zones served.</param>
    /// <param name="options">Load settings (to resolve file names).</param>
    /// <param name="stateDirectory">Where journals go; null = beside each dataset's first file.</param>
    /// <param name="logger">Where replay problems are reported.</param>
    public static PushedEntries Open(IEnumerable<ZoneSpec> specs, LoadOptions options, string? stateDirectory, ILogger logger)
    {
        var pushed = new PushedEntries(logger);
        if (stateDirectory is not null) Directory.CreateDirectory(stateDirectory);
        var datasets = specs.Where(s => Supports(s.Type)).DistinctBy(s => s.DatasetKey).ToList();
        foreach (var spec in datasets)
        {
            // FILE.journal beside the dataset's first file, unless another dataset starts with the same
            // file (ip4set:bl and ip4trie:bl): then the key's hash tells their journals apart
            bool shared = datasets.Count(d => d.Files[0] == spec.Files[0]) > 1;
            string path = stateDirectory is null
                ? options.ResolvePath(spec.Files[0]) + (shared ? "." + KeyHash(spec.DatasetKey) : "") + ".journal"
                : Path.Combine(stateDirectory, string.Concat(spec.DatasetKey.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + "." + KeyHash(spec.DatasetKey) + ".journal");
            var journal = new EntryJournal(spec.DatasetKey, spec.Type, path);
            foreach (string problem in journal.Replay()) AdminLog.JournalLineSkipped(logger, problem);
            if (journal.Changes.Count > 0) AdminLog.JournalReplayed(logger, spec.DatasetKey, journal.Changes.Count, path);
            pushed._journals.Add(spec.DatasetKey, journal);
        }
        return pushed;
    }

    private static string KeyHash(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..8];

    /// <summary>The journal of a dataset; null when its type takes no pushed entries.</summary>
    public EntryJournal? Journal(string datasetKey) => _journals.GetValueOrDefault(datasetKey);

    /// <summary>Records a change durably; the caller publishes <see cref="Apply"/> of the current set afterwards.</summary>
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

    /// <summary>Drops from the journals what the freshly read datasets of <paramref name="result"/> already do.</summary>
    public void Fold(ZoneSetLoadResult result)
    {
        lock (_sync)
        {
            foreach (var report in result.Reports.Where(r => r.Reloaded && r.Error is null))
            {
                if (!_journals.TryGetValue(report.Key, out var journal) || journal.Changes.Count == 0) continue;
                var data = result.ZoneSet.Datasets[report.Key].Dataset;
                // a change that overlaps another one is kept: judged against the file alone, dropping
                // it could change what the other change, or the file under it, answers
                var overlapping = Overlapping(journal.Changes);
                int dropped = data switch
                {
                    Ip4Dataset d4 => journal.Retain(c => overlapping.Contains(c) || !AlreadyDone4(d4.WithOverlay(null), c)),
                    Ip6Dataset d6 => journal.Retain(c => overlapping.Contains(c) || !AlreadyDone6(d6.WithOverlay(null), c)),
                    _ => 0,
                };
                if (dropped > 0) AdminLog.JournalFolded(_logger, report.Key, dropped, journal.Changes.Count);
            }
        }
    }

    /// <summary>
    /// <paramref name="set"/> with every dataset's pushed changes layered over it (replacing any overlay
    /// it carried, so applying twice is harmless). Shares all the big maps.
    /// </summary>
    public ZoneSet Apply(ZoneSet set)
    {
        var replaced = new Dictionary<string, ZoneDataset>();
        lock (_sync)
        {
            foreach (var (key, zoneDataset) in set.Datasets)
            {
                if (!_journals.TryGetValue(key, out var journal)) continue;
                Dataset? layered = zoneDataset.Dataset switch
                {
                    Ip4Dataset d4 when !ReferenceEquals(d4.Overlay, journal.Overlay4) => d4.WithOverlay(journal.Overlay4),
                    Ip6Dataset d6 when !ReferenceEquals(d6.Overlay, journal.Overlay6) => d6.WithOverlay(journal.Overlay6),
                    _ => null,
                };
                if (layered is not null) replaced.Add(key, zoneDataset with { Dataset = layered });
            }
        }
        return set.WithDatasets(replaced);
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
