using DnsblServer.Serving.Internal;
using System.Text;
using DnsblServer.Zones.Datasets.Keys;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Keys;

/// <summary>
/// Keyed access for the whole server: per keys dataset, the usage counters (restored from and saved to a usage
/// file), the pushed keys and revocations (a journal, replayed at startup), and the tables the query path reads
/// (built by each snapshot, <see cref="Table"/>). One per server, living across reloads.
/// </summary>
public sealed class KeyAccess
{
    private readonly Dictionary<string, KeyState> _states = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Keyed access with <paramref name="options"/>.</summary>
    public KeyAccess(KeyOptions? options = null)
    {
        Options = options ?? new KeyOptions();
        UnknownKeyText = Encoding.UTF8.GetBytes(Options.UnknownKeyText);
        OverQuotaText = Encoding.UTF8.GetBytes(Options.OverQuotaText);
    }

    /// <summary>The settings.</summary>
    public KeyOptions Options { get; }

    internal byte[] UnknownKeyText { get; }

    internal byte[] OverQuotaText { get; }

    /// <summary>The clock the query path counts with (UTC ticks; by default a coarse clock, see <see cref="CoarseUtcClock"/>); a test sets another.</summary>
    public Func<long> UtcTicks { get; init; } = CoarseUtcClock.UtcTicks;

    /// <summary>
    /// Registers a keys dataset and reads what was kept of it: the usage file (a restart keeps the day's counts)
    /// and the journal of pushed keys. Call once per dataset at startup; returns the lines that could not be used.
    /// </summary>
    /// <param name="datasetKey">The dataset key (<c>keys:file</c>).</param>
    /// <param name="firstFile">Its first file, resolved: state files go beside it unless <see cref="KeyOptions.StateDirectory"/> is set.</param>
    public IReadOnlyList<string> Open(string datasetKey, string firstFile)
    {
        string stem = Options.StateDirectory is { } directory
            ? Path.Combine(directory, string.Concat(datasetKey.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + "." + Hash(datasetKey))
            : firstFile;
        if (Options.StateDirectory is not null) Directory.CreateDirectory(Options.StateDirectory);
        var state = new KeyState(datasetKey, stem + ".usage", stem + ".journal");
        var problems = state.Load();
        lock (_sync) _states[datasetKey] = state;
        return problems;
    }

    /// <summary>The keys datasets registered or seen, by key.</summary>
    public IReadOnlyList<string> Datasets
    {
        get
        {
            lock (_sync) return [.. _states.Keys];
        }
    }

    /// <summary>Builds the table a snapshot serves for <paramref name="zone"/>: its file's keys with the pushed changes over them; null for an unkeyed zone.</summary>
    public KeyTable? Table(Zone zone)
    {
        if (!zone.IsKeyed || zone.KeysDatasetKey is not { } key) return null;
        lock (_sync)
        {
            var state = State(key);
            return new KeyTable([.. state.Effective(zone.Keys).Select(k => (k.Name, k.QueriesPerDay, state.Counter(k.Name)))]);
        }
    }

    /// <summary>Adds a key (or changes its quota; 0 = unlimited) or revokes one (<paramref name="queriesPerDay"/> null): journaled and fsync'd; republish the zone set to serve it.</summary>
    /// <exception cref="IOException">The journal could not be written.</exception>
    public void Change(string datasetKey, string name, long? queriesPerDay)
    {
        lock (_sync) State(datasetKey).Append(AccessKey.Normalize(Encoding.ASCII.GetBytes(name)), queriesPerDay);
    }

    /// <summary>Every key of a dataset as served: quota, today's count, last seen, pushed or from the file.</summary>
    public IReadOnlyList<KeyUsage> Usage(string datasetKey, KeysDataset? file)
    {
        long now = UtcTicks();
        lock (_sync)
        {
            var state = State(datasetKey);
            return [.. state.Effective(file).Select(k =>
            {
                var counter = state.Counter(k.Name);
                return new KeyUsage(k.Name, k.QueriesPerDay, counter.CountOn(now), counter.LastSeen, k.Pushed);
            })];
        }
    }

    /// <summary>The journal and usage files of a dataset and the journal's size and changes; null when it has none.</summary>
    public (string? Journal, string? Usage, int Changes, long JournalBytes)? Describe(string datasetKey)
    {
        lock (_sync) return _states.TryGetValue(datasetKey, out var s) ? (s.JournalPath, s.UsagePath, s.Changes.Count, s.JournalBytes) : null;
    }

    /// <summary>Writes the usage files that changed (every few seconds and at shutdown); returns how many were written.</summary>
    /// <exception cref="IOException">A usage file could not be written (the others are still tried first).</exception>
    public int Save()
    {
        KeyState[] states;
        lock (_sync) states = [.. _states.Values];
        int written = 0;
        List<Exception>? errors = null;
        foreach (var state in states)
        {
            try
            {
                lock (_sync) written += state.Save() ? 1 : 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                (errors ??= []).Add(e);
            }
        }
        if (errors is not null) throw new IOException(string.Join("; ", errors.Select(e => e.Message)), errors[0]);
        return written;
    }

    // a dataset nobody opened (a processor made without the host, in tests): counted, not kept
    private KeyState State(string datasetKey)
    {
        if (!_states.TryGetValue(datasetKey, out var state)) _states.Add(datasetKey, state = new KeyState(datasetKey, null, null));
        return state;
    }

    private static string Hash(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
}

/// <summary>One key's usage, for the admin API and metrics.</summary>
/// <param name="Name">The key, lowercase.</param>
/// <param name="QueriesPerDay">Its daily quota; 0 = unlimited.</param>
/// <param name="Today">Queries counted today (UTC), including those answered as over quota.</param>
/// <param name="LastSeen">When it was last used (Unix seconds); 0 = never.</param>
/// <param name="Pushed">True when it was added through the admin API (not read from the file).</param>
public sealed record KeyUsage(string Name, long QueriesPerDay, long Today, long LastSeen, bool Pushed);
