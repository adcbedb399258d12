namespace DnsblServer.Zones.Files;

/// <summary>Settings that change how zone files are read (rbldnsd's -t, -e, -C).</summary>
public sealed record LoadOptions
{
    /// <summary>TTL of data records when a dataset has no <c>$TTL</c>. Defaults to 2100 s (rbldnsd's 35m).</summary>
    public uint DefaultTtl { get; init; } = 2100;

    /// <summary>Lower clamp for TTLs read from data; 0 = none. Defaults to 0.</summary>
    public uint MinTtl { get; init; }

    /// <summary>Upper clamp for TTLs read from data; 0 = none. Defaults to 0.</summary>
    public uint MaxTtl { get; init; }

    /// <summary>Accept CIDR entries with host bits set, masking them off (rbldnsd -e). Defaults to false.</summary>
    public bool AcceptHostBits { get; init; }

    /// <summary>Refuse gzip-compressed files instead of decompressing them (rbldnsd -C). Defaults to false.</summary>
    public bool NoGzip { get; init; }

    /// <summary>Directory that relative file names are resolved against. Defaults to the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How many warnings a dataset load keeps with their text (all are counted). Defaults to 100; the <c>check</c> verb keeps all.</summary>
    public int MaxKeptWarnings { get; init; } = DatasetLoadContext.MaxKeptWarnings;

    /// <summary>
    /// Largest size of one file after decompression, in bytes; 0 = no limit. Defaults to 2 GiB: the
    /// biggest public lists in rbldnsd format are a few hundred MB of text (tens of millions of lines of
    /// 8 to 40 bytes), while a gzip bomb expands a few MB into tens of GB.
    /// </summary>
    public long MaxFileBytes { get; init; } = 2L << 30;

    /// <summary>
    /// Largest number of lines in one file; 0 = no limit. Defaults to 50 million: above the largest real
    /// lists (a few million to ~20 million entries), and it bounds the work of a file of tiny lines that
    /// stays under <see cref="MaxFileBytes"/> (2 GiB of 8-byte lines is 268 million).
    /// </summary>
    public long MaxFileLines { get; init; } = 50_000_000;

    /// <summary>
    /// A reload that would drop more than this share (percent) of a dataset's entries, compared with the
    /// data now served, is refused and the old data kept; 0 = off. Defaults to 50: a mirror's normal churn
    /// between two pulls is a few percent (even a list's weekly expiry rarely takes a third), while a
    /// truncated download or a wrong file removes most or all entries. The first load is never compared.
    /// An intended big cut is loaded by raising the setting (or 0) for one reload.
    /// </summary>
    public int MaxShrinkPercent { get; init; } = 50;

    /// <summary>The clock used for <c>$TIMESTAMP</c> checks (tests set it). Defaults to the system clock.</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>Shared default instance.</summary>
    public static LoadOptions Default { get; } = new();

    /// <summary>rbldnsd's parse_ttl: 0 means <paramref name="fallback"/>, otherwise clamped by -t min:max.</summary>
    public uint ClampTtl(uint ttl, uint fallback)
    {
        if (ttl == 0) return fallback;
        if (MinTtl != 0 && ttl < MinTtl) return MinTtl;
        if (MaxTtl != 0 && ttl > MaxTtl) return MaxTtl;
        return ttl;
    }

    /// <summary>Resolves a zone file name against <see cref="WorkingDirectory"/>.</summary>
    public string ResolvePath(string file) =>
        WorkingDirectory is null || Path.IsPathRooted(file) ? file : Path.Combine(WorkingDirectory, file);
}
