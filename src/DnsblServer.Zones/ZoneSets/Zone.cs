using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Acl;
using DnsblServer.Zones.Datasets.Combined;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>
/// A served zone: its name and the datasets that answer for it (in command-line order, all of
/// them asked for every query). SOA and NS come from the first dataset that has them.
/// </summary>
public sealed class Zone
{
    internal Zone(string name, IReadOnlyList<ZoneDataset> datasets, IReadOnlyList<ZoneDataset>? exempt = null)
        : this(name, DomainName.ToWire(name), datasets, exempt) { }

    private Zone(string name, byte[] wireName, IReadOnlyList<ZoneDataset> datasets, IReadOnlyList<ZoneDataset>? exempt)
    {
        ExemptLists = exempt ?? [];
        Exempt = [.. ExemptLists.Select(d => d.Dataset).OfType<Datasets.Exempt.ExemptDataset>()];
        Name = name;
        Datasets = datasets;
        // rbldnsd keeps a zone's ACL apart from its data: it gives no SOA, NS or serial, and when its
        // file fails to load the zone is served without it
        Acl = datasets.Select(d => d.Dataset).OfType<AclDataset>().FirstOrDefault();
        datasets = [.. datasets.Where(d => DatasetTypes.KindOf(d.Type) != DatasetKind.Acl)];
        WireName = wireName;
        LabelCount = DomainName.CountLabels(wireName);
        Soa = datasets.Select(d => d.Dataset?.Info.Soa).FirstOrDefault(s => s is not null);
        Ns = datasets.Select(d => d.Dataset?.Info.Ns).FirstOrDefault(n => n is not null);
        Stamp = datasets.Max(d => d.Dataset?.Info.Stamp ?? 0);
        Ip4Datasets = [.. datasets.Select(d => d.Dataset).OfType<Ip4Dataset>()];
        Ip6Datasets = [.. datasets.Select(d => d.Dataset).OfType<Ip6Dataset>()];
        NameDatasets = [.. datasets.Select(d => d.Dataset).Where(d => d?.Kind is DatasetKind.NameSet or DatasetKind.NameRecords).Cast<Dataset>()];
        // an allow-list that never loaded must not let its senders be answered as listed
        IsLoaded = datasets.All(d => d.Dataset is not null) && ExemptLists.All(d => d.Dataset is not null);
        Expires = datasets.Select(d => d.Dataset?.Info.Expires ?? 0).Where(e => e != 0).DefaultIfEmpty(0).Min();
        Combined = [.. datasets.Where(d => d.Dataset?.Kind == DatasetKind.Combined).Select(d => new CombinedSubzones(this, d))];
        // a keyed zone whose keys never loaded is not served (IsLoaded above): it must not answer without keys
        IsKeyed = datasets.Any(d => DatasetTypes.KindOf(d.Type) == DatasetKind.Keys);
        Keys = datasets.Select(d => d.Dataset).OfType<Datasets.Keys.KeysDataset>().FirstOrDefault();
        KeysDatasetKey = datasets.FirstOrDefault(d => DatasetTypes.KindOf(d.Type) == DatasetKind.Keys)?.Key;
    }

    // A subzone of a combined dataset, as a zone of its own (absolute name) so the query path serves it with
    // the same code; the parent's exempt lists apply to it too.
    internal static Zone ForSubzone(Zone parent, string key, CombinedSubzone subzone) => new(
        subzone.Name.Length == 0 ? parent.Name : subzone.Name + "." + parent.Name,
        [.. subzone.WireName, .. parent.WireName],
        [.. subzone.Datasets.Select(d => new ZoneDataset($"{key}:{d.Info.Type}@{subzone.Name}", d.Info.Type, d.Info.FileNames, d, null))],
        parent.ExemptLists);

    /// <summary>Zone name, lowercased, no trailing dot.</summary>
    public string Name { get; }

    /// <summary>The name in DNS wire format, lowercased.</summary>
    public byte[] WireName { get; }

    /// <summary>Number of labels in the name.</summary>
    public int LabelCount { get; }

    /// <summary>The zone's ACL (<c>zone:acl:file</c>), keyed by the client's address; null when none is loaded.</summary>
    public AclDataset? Acl { get; }

    /// <summary>The datasets of the zone, in command-line order (its ACL included).</summary>
    public IReadOnlyList<ZoneDataset> Datasets { get; }

    /// <summary>The exempt allow-lists that apply to this zone.</summary>
    public IReadOnlyList<ZoneDataset> ExemptLists { get; }

    /// <summary>The loaded exempt lists (an array for the query path).</summary>
    public Datasets.Exempt.ExemptDataset[] Exempt { get; }

    /// <summary>The IPv4 datasets (the common case, kept as an array for the query path).</summary>
    public Ip4Dataset[] Ip4Datasets { get; }

    /// <summary>The datasets looked up by name (dnset, generic), in command-line order.</summary>
    public Dataset[] NameDatasets { get; }

    /// <summary>The IPv6 datasets.</summary>
    public Ip6Dataset[] Ip6Datasets { get; }

    /// <summary>The subzones of each combined dataset of the zone, in command-line order (usually none).</summary>
    public CombinedSubzones[] Combined { get; }

    /// <summary>True when the zone has a keys dataset: every query below the apex carries a key as the label left of the zone name.</summary>
    public bool IsKeyed { get; }

    /// <summary>The zone's keys as loaded from its file (the first keys dataset); null when not keyed or not loaded.</summary>
    public Datasets.Keys.KeysDataset? Keys { get; }

    /// <summary>The key (<c>keys:file</c>) of the zone's keys dataset; null when not keyed.</summary>
    public string? KeysDatasetKey { get; }

    /// <summary>The SOA of the first dataset that has one.</summary>
    public SoaData? Soa { get; }

    /// <summary>The NS of the first dataset that has them.</summary>
    public NsData? Ns { get; }

    /// <summary>The newest file mtime of the zone's datasets (Unix time): the SOA serial when <c>$SOA</c> says 0.</summary>
    public long Stamp { get; }

    /// <summary>The SOA serial as served.</summary>
    public uint Serial => Soa is null ? 0 : Soa.Serial != 0 ? Soa.Serial : (uint)Stamp;

    /// <summary>True when every dataset has data; otherwise the zone answers SERVFAIL.</summary>
    public bool IsLoaded { get; }

    /// <summary>Unix time after which the zone must answer SERVFAIL (the earliest <c>$TIMESTAMP</c> expiry); 0 = never.</summary>
    public long Expires { get; }
}

/// <summary>A dataset as a zone sees it: its spec, its data (null when it never loaded) and its load history.</summary>
/// <param name="Key">The dataset key (<c>type:files</c>).</param>
/// <param name="Type">The dataset type.</param>
/// <param name="Files">The files, as configured.</param>
/// <param name="Dataset">The data served; null when no load has succeeded yet.</param>
/// <param name="LastError">Why the last load failed; null when it succeeded.</param>
public sealed record ZoneDataset(string Key, string Type, IReadOnlyList<string> Files, Dataset? Dataset, LoadDiagnostic? LastError)
{
    /// <summary>When the data now served was loaded; null when none is.</summary>
    public DateTimeOffset? LoadedAt { get; init; }

    /// <summary>When the files were last read (successfully or not).</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>How long the last read and build took.</summary>
    public TimeSpan LastDuration { get; init; }

    /// <summary>Failed loads since the process started (a counter: it never goes down).</summary>
    public long FailureCount { get; init; }

    /// <summary>Of <see cref="FailureCount"/>, the loads refused by the shrink guard (<see cref="LoadDiagnosticKind.ShrinkRefused"/>).</summary>
    public long RefusedCount { get; init; }

    /// <summary>Warnings of the load that produced the data now served.</summary>
    public int WarningCount { get; init; }
}
