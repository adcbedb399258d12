namespace DnsblServer.Zones.Files;

/// <summary>
/// State of one dataset load across all its files: where we are (for file:line messages),
/// the specials read so far, and the warnings. Specials follow rbldnsd: first <c>$SOA</c>,
/// <c>$NS</c> and <c>$n</c> win, the last <c>$TTL</c> wins, <c>$MAXRANGE4</c> may only shrink.
/// </summary>
public sealed class DatasetLoadContext(LoadOptions options)
{
    /// <summary>By default at most this many warnings are kept with their text (<see cref="LoadOptions.MaxKeptWarnings"/>); all are counted.</summary>
    public const int MaxKeptWarnings = 100;

    private readonly List<LoadDiagnostic> _warnings = [];
    private readonly List<FileStamp> _files = [];

    /// <summary>The load settings.</summary>
    public LoadOptions Options { get; } = options;

    /// <summary>The file being read (as named in the zone spec).</summary>
    public string File { get; internal set; } = "";

    /// <summary>Size in bytes of the file being read (compressed size for gzip): lets parsers size their buffers.</summary>
    public long FileSize { get; internal set; }

    /// <summary>The current line number in <see cref="File"/>; 0 outside a line.</summary>
    public int Line { get; internal set; }

    /// <summary>The first warnings, each naming file and line.</summary>
    public IReadOnlyList<LoadDiagnostic> Warnings => _warnings;

    /// <summary>All warnings, including those not kept.</summary>
    public int WarningCount { get; private set; }

    /// <summary>The first <c>$SOA</c> of the dataset, if any.</summary>
    public SoaData? Soa { get; internal set; }

    /// <summary>The first <c>$NS</c> of the dataset, if any.</summary>
    public NsData? Ns { get; internal set; }

    /// <summary>Dataset TTL: the last <c>$TTL</c>, or the default.</summary>
    public uint Ttl { get; internal set; } = options.DefaultTtl;

    /// <summary>Unix time after which the data must not be served (<c>$TIMESTAMP</c> expiry); 0 = never.</summary>
    public long Expires { get; internal set; }

    /// <summary>Largest number of IPv4 addresses one entry may cover (<c>$MAXRANGE4</c>); 0 = no limit.</summary>
    public uint MaxRange4 { get; internal set; }

    /// <summary><c>$0</c>..<c>$9</c> substitution variables (first definition wins).</summary>
    public byte[]?[] Variables { get; } = new byte[]?[10];

    /// <summary>The <c>$=</c> base TXT template (first definition wins).</summary>
    public byte[]? BaseTemplate { get; internal set; }

    /// <summary>The files read so far, with their mtime and size when read.</summary>
    public IReadOnlyList<FileStamp> Files => _files;

    internal void AddFile(FileStamp stamp) => _files.Add(stamp);

    /// <summary>Records a warning for the current file and line.</summary>
    public void Warn(string message)
    {
        WarningCount++;
        if (_warnings.Count < Options.MaxKeptWarnings) _warnings.Add(new LoadDiagnostic(File, Line, message));
    }

    /// <summary>Expands a raw TXT text with this dataset's variables and base template.</summary>
    public byte[]? ExpandTxt(ReadOnlySpan<byte> raw) =>
        Values.TxtTemplate.Expand(raw, Variables, BaseTemplate);
}
