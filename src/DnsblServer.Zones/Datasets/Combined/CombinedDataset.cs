namespace DnsblServer.Zones.Datasets.Combined;

/// <summary>
/// A combined dataset after the load (rbldnsd_combined.c): no data of its own, but subdatasets, each serving
/// one or more subzones of the zone that names it. SOA, NS, the common TTL and <c>$TIMESTAMP</c> expiry are in
/// <see cref="Dataset.Info"/>, for the base zone. The zone turns <see cref="Subzones"/> into
/// <c>CombinedSubzones</c> (ZoneSets, a layer above) for the query path.
/// </summary>
public sealed class CombinedDataset : Dataset
{
    internal CombinedDataset(DatasetInfo info, CombinedSubzone[] subzones, CombinedSection[] sections) : base(info, DatasetKind.Combined)
    {
        Subzones = subzones;
        Sections = sections;
    }

    /// <summary>The subzones, most specific first (rbldnsd's order: a query goes to the first that holds it).</summary>
    public IReadOnlyList<CombinedSubzone> Subzones { get; }

    /// <summary>The <c>$DATASET</c> sections in file order (a section naming no valid subzone serves nothing).</summary>
    public IReadOnlyList<CombinedSection> Sections { get; }

    /// <inheritdoc />
    public override long EntryCount => Sections.Sum(s => s.Dataset.EntryCount);

    /// <inheritdoc />
    public override long SizeInBytes => Sections.Sum(s => s.Dataset.SizeInBytes);
}

/// <summary>One subzone of a combined dataset.</summary>
/// <param name="Name">The name relative to the zone, lowercased, dotted; empty for the base zone (<c>@</c>).</param>
/// <param name="WireName">The same in wire form without the root byte (empty for the base zone).</param>
/// <param name="Datasets">Its datasets, in <c>$DATASET</c> order.</param>
public sealed record CombinedSubzone(string Name, byte[] WireName, IReadOnlyList<Dataset> Datasets);

/// <summary>One <c>$DATASET</c> section.</summary>
/// <param name="Type">The dataset type.</param>
/// <param name="Name">The name after <c>type:</c> (at most 20 characters), or null.</param>
/// <param name="Subzones">The subzones it serves, as in <see cref="CombinedSubzone.Name"/>.</param>
/// <param name="Dataset">The dataset built from its lines.</param>
public sealed record CombinedSection(string Type, string? Name, IReadOnlyList<string> Subzones, Dataset Dataset);
