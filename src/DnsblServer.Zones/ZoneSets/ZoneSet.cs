using DnsblServer.Zones.Journal;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>
/// Everything that is served, as one immutable snapshot: the zones (most specific first, so a
/// subzone is found before its parent) and the datasets they share. A reload builds a new set
/// beside this one and swaps one reference; a query reads the reference once and uses only it.
/// </summary>
public sealed class ZoneSet
{
    private readonly Zone[] _zones;

    internal ZoneSet(Zone[] zones, IReadOnlyDictionary<string, ZoneDataset> datasets, DateTimeOffset loadedAt, ZoneDataset? globalAcl = null)
    {
        _zones = zones;
        GlobalAclDataset = globalAcl;
        GlobalAcl = globalAcl?.Dataset as Datasets.Acl.AclDataset;
        Datasets = datasets;
        LoadedAt = loadedAt;
    }

    /// <summary>An empty set (nothing served: every query is REFUSED).</summary>
    public static ZoneSet Empty { get; } = new([], new Dictionary<string, ZoneDataset>(), DateTimeOffset.MinValue);

    /// <summary>The zones, most labels first.</summary>
    public IReadOnlyList<Zone> Zones => _zones;

    /// <summary>The global ACL (<c>:acl:file</c>), consulted for every query; null when none is loaded.</summary>
    public Datasets.Acl.AclDataset? GlobalAcl { get; }

    /// <summary>The global ACL's spec and load history; null when none is configured.</summary>
    public ZoneDataset? GlobalAclDataset { get; }

    /// <summary>The datasets by key (<c>type:files</c>).</summary>
    public IReadOnlyDictionary<string, ZoneDataset> Datasets { get; }

    /// <summary>When this set was built.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>
    /// This set with some datasets replaced (pushed changes layered over them): the zones are rebuilt
    /// around the replacements, everything else is shared. Publish the result with the usual swap.
    /// </summary>
    /// <param name="replacements">New entries by dataset key; keys this set does not have are ignored.</param>
    public ZoneSet WithDatasets(IReadOnlyDictionary<string, ZoneDataset> replacements)
    {
        if (replacements.Count == 0) return this;
        var datasets = Datasets.ToDictionary(p => p.Key, p => replacements.GetValueOrDefault(p.Key, p.Value));
        ZoneDataset Current(ZoneDataset d) => datasets[d.Key];
        var zones = _zones.Select(z => new Zone(z.Name, [.. z.Datasets.Select(Current)], [.. z.ExemptLists.Select(Current)])).ToArray();
        // every field of the set carries over: a dropped global ACL would open the server to the clients it refuses
        var globalAcl = GlobalAclDataset is null ? null : datasets.GetValueOrDefault(GlobalAclDataset.Key, GlobalAclDataset);
        return new ZoneSet(zones, datasets, LoadedAt, globalAcl);
    }

    /// <summary>
    /// This set with the pushed entries of <paramref name="pushed"/> layered over its datasets (see
    /// <see cref="WithDatasets"/>); this set itself when <paramref name="pushed"/> is null or changes nothing.
    /// </summary>
    public ZoneSet WithPushed(PushedEntries? pushed)
    {
        if (pushed is null) return this;
        var layered = pushed.Layer(Datasets.Select(p => (p.Key, p.Value.Dataset)));
        return WithDatasets(layered.ToDictionary(p => p.Key, p => Datasets[p.Key] with { Dataset = p.Value }));
    }

    /// <summary>
    /// The zone a query name falls in: the first (longest) zone that is a suffix of the name.
    /// </summary>
    /// <param name="name">The query name in wire format, lowercased.</param>
    /// <param name="labelStarts">Offset in <paramref name="name"/> of each label.</param>
    /// <param name="labelsBelow">Labels of the name below the zone apex (0 = the apex).</param>
    public Zone? Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, out int labelsBelow)
    {
        int index = FindIndex(name, labelStarts, out labelsBelow);
        return index < 0 ? null : _zones[index];
    }

    /// <summary>As <see cref="Find"/>, giving the zone's index in <see cref="Zones"/> (-1 when none).</summary>
    public int FindIndex(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, out int labelsBelow) =>
        FindIndex(_zones, name, labelStarts, out labelsBelow);

    // The first zone of the list that is a suffix of the name (also the subzones of a combined dataset).
    internal static int FindIndex(Zone[] zones, ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, out int labelsBelow)
    {
        int labels = labelStarts.Length;
        for (int i = 0; i < zones.Length; i++)
        {
            var zone = zones[i];
            int below = labels - zone.LabelCount;
            if (below < 0) continue;
            int start = below == labels ? name.Length - 1 : labelStarts[below];
            if (name[start..].SequenceEqual(zone.WireName))
            {
                labelsBelow = below;
                return i;
            }
        }
        labelsBelow = 0;
        return -1;
    }
}
