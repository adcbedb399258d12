using System.Globalization;
using System.Text;
using DnsblServer.Zones.Datasets.Keys;
using DnsblServer.Zones.Journal;

namespace DnsblServer.Serving.Keys;

/// <summary>
/// What one keys dataset carries beyond its file, kept for the life of the process: each key's usage counter
/// (also of keys no longer listed, so a key removed and added back keeps its day's count), the pushed keys and
/// revocations, and the files they are kept in. Only reloads, pushes, saves and the admin API use it, under
/// <see cref="KeyAccess"/>'s lock; the query path sees the counters through a <see cref="KeyTable"/>.
/// </summary>
internal sealed class KeyState(string datasetKey, string? usagePath, string? journalPath)
{
    public string DatasetKey { get; } = datasetKey;

    public string? UsagePath { get; } = usagePath;

    public string? JournalPath { get; } = journalPath;

    public Dictionary<string, KeyCounter> Counters { get; } = new(StringComparer.Ordinal);

    /// <summary>Pushed changes in order: a quota (0 = unlimited) for an added key, null for a revoked one.</summary>
    public List<(string Name, long? QueriesPerDay)> Changes { get; } = [];

    public long JournalBytes { get; private set; }

    private string _lastSaved = "";

    public KeyCounter Counter(string name)
    {
        if (!Counters.TryGetValue(name, out var counter)) Counters.Add(name, counter = new KeyCounter());
        return counter;
    }

    /// <summary>The file's keys with the pushed changes applied in order, in file order then pushed order.</summary>
    public List<(string Name, long QueriesPerDay, bool Pushed)> Effective(KeysDataset? file)
    {
        var keys = new List<(string Name, long QueriesPerDay, bool Pushed)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in file?.Keys ?? [])
        {
            index[key.Name] = keys.Count;
            keys.Add((key.Name, key.QueriesPerDay, false));
        }
        foreach (var (name, quota) in Changes)
        {
            if (index.TryGetValue(name, out int at))
            {
                keys[at] = quota is { } q ? (name, q, true) : default;
                if (quota is null) index.Remove(name);
            }
            else if (quota is { } q)
            {
                index[name] = keys.Count;
                keys.Add((name, q, true));
            }
        }
        return [.. keys.Where(k => k.Name is not null)];
    }

    /// <summary>Reads the usage file and the journal (at startup); returns the lines it could not use.</summary>
    public List<string> Load()
    {
        var problems = new List<string>();
        if (UsagePath is not null && File.Exists(UsagePath))
        {
            int line = 0;
            foreach (string text in File.ReadAllLines(UsagePath))
            {
                line++;
                if (text.Length == 0 || text[0] == '#') continue;
                string[] f = text.Split(' ');
                if (f.Length == 4 && AccessKey.IsValid(Encoding.ASCII.GetBytes(f[0]))
                    && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out long day)
                    && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count)
                    && long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out long seen))
                {
                    Counter(AccessKey.Normalize(Encoding.ASCII.GetBytes(f[0]))).Restore(day, count, seen);
                }
                else
                {
                    problems.Add($"{UsagePath}:{line}: not 'KEY DAY COUNT LASTSEEN', skipped");
                }
            }
            _lastSaved = Render();
        }
        if (JournalPath is not null && File.Exists(JournalPath))
        {
            byte[] bytes = File.ReadAllBytes(JournalPath);
            JournalBytes = bytes.Length;
            string[] lines = Encoding.ASCII.GetString(bytes).Split('\n');
            // the last piece has no newline: empty, or an append a crash cut short (never acknowledged)
            for (int i = 0; i < lines.Length - 1; i++)
            {
                if (TryParseChange(lines[i], out var change)) Changes.Add(change);
                else if (lines[i].Length > 0 && lines[i][0] != '#') problems.Add($"{JournalPath}:{i + 1}: not '+ KEY [QUOTA]' or '- KEY', skipped");
            }
        }
        return problems;
    }

    /// <summary>Appends a change to the journal and fsyncs it, then applies it.</summary>
    public void Append(string name, long? quota)
    {
        if (JournalPath is not null)
        {
            string line = quota is { } q ? $"+ {name} {q.ToString(CultureInfo.InvariantCulture)}" : $"- {name}";
            JournalBytes = DurableFile.AppendLine(JournalPath, line); // cut back on a failed write: no half line
        }
        Changes.Add((name, quota));
    }

    /// <summary>Writes the usage file when it changed since the last write (atomically: temporary file, fsync, rename).</summary>
    public bool Save()
    {
        if (UsagePath is null) return false;
        string text = Render();
        if (text == _lastSaved) return false;
        DurableFile.WriteAllText(UsagePath, text);
        _lastSaved = text;
        return true;
    }

    private string Render()
    {
        var text = new StringBuilder("# DnsblServer key usage: KEY UTC-DAY COUNT LAST-SEEN (day = days since 0001-01-01, last seen = Unix seconds)\n");
        foreach (var (name, counter) in Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var (day, count) = counter.Today;
            if (counter.LastSeen == 0 && count == 0) continue;
            text.Append(CultureInfo.InvariantCulture, $"{name} {day} {count} {counter.LastSeen}\n");
        }
        return text.ToString();
    }

    private static bool TryParseChange(string line, out (string Name, long? QueriesPerDay) change)
    {
        change = default;
        string[] f = line.Split(' ');
        if (f.Length < 2 || !AccessKey.IsValid(Encoding.ASCII.GetBytes(f[1]))) return false;
        string name = AccessKey.Normalize(Encoding.ASCII.GetBytes(f[1]));
        if (f[0] == "-" && f.Length == 2) change = (name, null);
        else if (f[0] == "+" && f.Length == 3 && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out long q)) change = (name, q);
        else return false;
        return true;
    }
}
