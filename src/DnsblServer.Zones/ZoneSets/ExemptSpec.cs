namespace DnsblServer.Zones.ZoneSets;

/// <summary>An exempt allow-list: its files, and the zones it applies to (empty = every zone).</summary>
/// <param name="Name">A name for logs and status.</param>
/// <param name="Files">Files of addresses, CIDRs and ranges.</param>
/// <param name="Zones">Zone names (lowercased, no trailing dot) it applies to; empty for all.</param>
public sealed record ExemptSpec(string Name, IReadOnlyList<string> Files, IReadOnlyList<string> Zones)
{
    /// <summary>The dataset key of the list's files.</summary>
    public string DatasetKey => Datasets.DatasetTypes.Exempt.Name + ":" + string.Join(',', Files);

    /// <summary>True when the list applies to <paramref name="zone"/>.</summary>
    public bool AppliesTo(string zone) => Zones.Count == 0 || Zones.Contains(zone, StringComparer.OrdinalIgnoreCase);
}
