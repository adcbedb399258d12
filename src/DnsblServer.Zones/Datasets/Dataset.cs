using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets;

/// <summary>
/// A loaded dataset: immutable, shared by every zone that names the same <c>type:files</c>,
/// safe for any number of concurrent readers.
/// </summary>
public abstract class Dataset(DatasetInfo info, DatasetKind kind)
{
    /// <summary>What was loaded, from where, and the specials it carried.</summary>
    public DatasetInfo Info { get; } = info;

    /// <summary>How the query path uses it (a plain field, so dispatching on it costs no virtual call).</summary>
    public DatasetKind Kind { get; } = kind;

    /// <summary>Entries as stored (after merging; for status and metrics).</summary>
    public abstract long EntryCount { get; }

    /// <summary>Bytes held by the lookup structures.</summary>
    public abstract long SizeInBytes { get; }
}

/// <summary>The metadata every dataset carries: its spec, files, specials and load warnings.</summary>
public sealed record DatasetInfo
{
    /// <summary>The dataset type, such as <c>ip4set</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The file list as written in the zone spec.</summary>
    public required IReadOnlyList<string> FileNames { get; init; }

    /// <summary>The files as read (mtime and size), to tell when a reload is due.</summary>
    public required IReadOnlyList<FileStamp> Files { get; init; }

    /// <summary>TTL of the data records (the last <c>$TTL</c>, or the default).</summary>
    public required uint Ttl { get; init; }

    /// <summary>The dataset's <c>$SOA</c>, if any.</summary>
    public SoaData? Soa { get; init; }

    /// <summary>The dataset's <c>$NS</c>, if any.</summary>
    public NsData? Ns { get; init; }

    /// <summary>Unix time when the data expires (<c>$TIMESTAMP</c>); 0 = never.</summary>
    public long Expires { get; init; }

    /// <summary>The newest mtime of the files, as Unix time (the SOA serial when <c>$SOA</c> gives 0).</summary>
    public long Stamp { get; init; }

    /// <summary>The first warnings of the load.</summary>
    public IReadOnlyList<LoadDiagnostic> Warnings { get; init; } = [];

    /// <summary>All warnings of the load.</summary>
    public int WarningCount { get; init; }

    /// <summary>Builds the info from a finished load context.</summary>
    public static DatasetInfo From(string type, IReadOnlyList<string> fileNames, DatasetLoadContext context) => new()
    {
        Type = type,
        FileNames = fileNames,
        Files = context.Files,
        Ttl = context.Ttl,
        Soa = context.Soa,
        Ns = context.Ns,
        Expires = context.Expires,
        Stamp = context.Files.Count == 0 ? 0 : context.Files.Max(f => new DateTimeOffset(f.LastWriteUtc).ToUnixTimeSeconds()),
        Warnings = context.Warnings,
        WarningCount = context.WarningCount,
    };
}
