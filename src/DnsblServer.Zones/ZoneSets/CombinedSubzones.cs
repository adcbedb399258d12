using DnsblServer.Zones.Datasets.Combined;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>
/// The subzones of one combined dataset under one zone, each a <see cref="Zone"/> with its absolute name and its
/// subdatasets, prepared at load so the query path only compares names (rbldnsd's findqzone on the combined
/// dataset's own zone list).
/// </summary>
public sealed class CombinedSubzones
{
    internal CombinedSubzones(Zone parent, ZoneDataset combined)
    {
        Dataset = (CombinedDataset)combined.Dataset!;
        Zones = [.. Dataset.Subzones.Select(s => Zone.ForSubzone(parent, combined.Key, s))];
    }

    /// <summary>The combined dataset.</summary>
    public CombinedDataset Dataset { get; }

    /// <summary>The subzones, most specific first (as <see cref="CombinedDataset.Subzones"/>).</summary>
    public Zone[] Zones { get; }

    /// <summary>
    /// The subzone a query name falls in: the first (most specific) that is a suffix of the name; -1 when none.
    /// </summary>
    /// <param name="name">The query name in wire format, lowercased.</param>
    /// <param name="labelStarts">Offset in <paramref name="name"/> of each label.</param>
    /// <param name="labelsBelow">Labels of the name below the subzone (0 = the subzone's apex).</param>
    public int FindIndex(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, out int labelsBelow) =>
        ZoneSet.FindIndex(Zones, name, labelStarts, out labelsBelow);
}
