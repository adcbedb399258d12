using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets;

/// <summary>
/// One dataset type as the rest of the server sees it (an entry of <see cref="DatasetTypes"/>): its name,
/// how the query path uses it, how its files are parsed, and where it may appear.
/// </summary>
/// <param name="Name">The type name as written in a zone spec (<c>ip4set</c>); matched case-sensitively, as rbldnsd does.</param>
/// <param name="Kind">How the query path uses its datasets; every dataset its parser builds has this kind.</param>
/// <param name="CreateParser">A fresh parser for one load; the tracer (null normally) hears every IPv4 entry read, for <c>explain</c>.</param>
public sealed record DatasetType(string Name, DatasetKind Kind, Func<Action<EntryTrace>?, LineParser> CreateParser)
{
    /// <summary>True when a zone spec may name it (rbldnsd knows it); false for our own types (exempt lists). Defaults to true.</summary>
    public bool InZoneSpec { get; init; } = true;

    /// <summary>True when a <c>$DATASET</c> section of a combined dataset may name it. Defaults to false.</summary>
    public bool InCombined { get; init; }

    /// <summary>True when the admin API may push single entries to it (journaled, served through an overlay). Defaults to false.</summary>
    public bool AcceptsPushedEntries { get; init; }
}
