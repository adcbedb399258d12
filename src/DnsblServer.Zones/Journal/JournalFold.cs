namespace DnsblServer.Zones.Journal;

/// <summary>Pushed changes dropped from a journal because the dataset's freshly read files already do them.</summary>
/// <param name="DatasetKey">The dataset (<c>type:files</c>).</param>
/// <param name="Dropped">Changes dropped.</param>
/// <param name="Left">Changes still in the journal.</param>
public sealed record JournalFold(string DatasetKey, int Dropped, int Left);
