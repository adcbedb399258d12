using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>
/// Refuses a reload that would drop more than <see cref="LoadOptions.MaxShrinkPercent"/> of the entries of
/// the data now served: a truncated download or a wrong file that still parses must not empty a list.
/// </summary>
public static class ShrinkGuard
{
    /// <summary>
    /// Datasets smaller than this are not guarded: an operator edits a short list by hand, and halving
    /// one is normal; the garbage rules of the reader still catch a file that is not zone data.
    /// </summary>
    public const long MinGuardedEntries = 100;

    /// <summary>Null when <paramref name="loaded"/> may replace <paramref name="serving"/>; otherwise the refusal.</summary>
    public static LoadDiagnostic? Check(IReadOnlyList<string> files, Dataset serving, Dataset loaded, LoadOptions options)
    {
        int percent = options.MaxShrinkPercent;
        long before = FileEntries(serving);
        long after = FileEntries(loaded);
        if (percent <= 0 || before < MinGuardedEntries || after >= before) return null;
        // drop share = (before - after) / before, compared without rounding
        if ((before - after) * 100 <= before * (long)percent) return null;
        double dropped = (before - after) * 100.0 / before;
        return new LoadDiagnostic(
            string.Join(',', files),
            0,
            $"reload refused: entries would drop from {before} to {after} ({dropped:0.#}% fewer, more than MaxShrinkPercent={percent}); the previous data keeps serving (raise MaxShrinkPercent, or 0 to turn the guard off, to accept it)")
        {
            Kind = LoadDiagnosticKind.ShrinkRefused,
        };
    }

    // The served dataset carries the entries pushed through the admin API as an overlay; a reload reads
    // only the files, so compare files with files (300 pushes over a 2-line file are not a shrink).
    private static long FileEntries(Dataset dataset) => dataset switch
    {
        Ip4Dataset { Overlay: { } overlay } => dataset.EntryCount - overlay.AddCount,
        Ip6Dataset { Overlay: { } overlay } => dataset.EntryCount - overlay.AddCount,
        _ => dataset.EntryCount,
    };
}
