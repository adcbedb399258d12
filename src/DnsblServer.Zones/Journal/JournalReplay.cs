namespace DnsblServer.Zones.Journal;

/// <summary>What replaying one journal at startup found (for the host to log).</summary>
/// <param name="DatasetKey">The dataset (<c>type:files</c>).</param>
/// <param name="Path">The journal file.</param>
/// <param name="Changes">The changes replayed (the last one per prefix).</param>
/// <param name="Problems">Lines skipped, as <c>path:line: reason</c>.</param>
/// <param name="Unreported">Lines skipped beyond those in <paramref name="Problems"/> (only the first few are reported).</param>
/// <param name="Fault">Why the journal cannot be used at all (its path is a directory); null when it can.</param>
public sealed record JournalReplay(string DatasetKey, string Path, int Changes, IReadOnlyList<string> Problems, int Unreported = 0, string? Fault = null);
