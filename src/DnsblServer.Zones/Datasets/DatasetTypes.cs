using System.Collections.Frozen;
using DnsblServer.Zones.Datasets.Acl;
using DnsblServer.Zones.Datasets.Combined;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Exempt;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Datasets.Keys;

namespace DnsblServer.Zones.Datasets;

/// <summary>
/// The one list of dataset types (as CoreDNS's plugin registry): the loader, zone specs, combined sections,
/// zones, the resolver, dumps and pushed entries all read it. A new type is its folder plus one line here.
/// </summary>
public static class DatasetTypes
{
    /// <summary>Exempt allow-lists: our own type, not a zone dataset (configured apart from the zone specs).</summary>
    public static readonly DatasetType Exempt = new("exempt", DatasetKind.Exempt, t => new ExemptLineParser { Tracer = t }) { InZoneSpec = false };

    /// <summary>The name of the keys type (<c>zone:keys:file</c>): the zone's access keys and their daily quotas.</summary>
    public const string KeysTypeName = "keys";

    /// <summary>Every type, in rbldnsd's order (<c>rbldnsd -h</c>), ours last.</summary>
    public static readonly IReadOnlyList<DatasetType> All =
    [
        new("ip4set", DatasetKind.Ip4, t => new Ip4SetParser { Tracer = t }) { InCombined = true, AcceptsPushedEntries = true },
        new("ip4tset", DatasetKind.Ip4, t => new Ip4TSetParser { Tracer = t }) { InCombined = true, AcceptsPushedEntries = true },
        new("ip4trie", DatasetKind.Ip4, t => new Ip4TrieParser { Tracer = t }) { InCombined = true, AcceptsPushedEntries = true },
        new("ip6trie", DatasetKind.Ip6, _ => new Ip6TrieParser()) { InCombined = true, AcceptsPushedEntries = true },
        new("ip6tset", DatasetKind.Ip6, _ => new Ip6TSetParser()) { InCombined = true, AcceptsPushedEntries = true },
        new("dnset", DatasetKind.NameSet, _ => new DnsSetParser()) { InCombined = true },
        new("generic", DatasetKind.NameRecords, _ => new GenericParser()) { InCombined = true },
        new("acl", DatasetKind.Acl, _ => new AclParser()),
        new(CombinedParser.Type, DatasetKind.Combined, t => new CombinedParser(t)),
        new(KeysTypeName, DatasetKind.Keys, _ => new KeysParser()),
        Exempt,
    ];

    private static readonly FrozenDictionary<string, DatasetType> ByName = All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The type named <paramref name="name"/> (case-sensitive); null when there is none.</summary>
    public static DatasetType? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The kind of the type named <paramref name="name"/>; null for an unknown name.</summary>
    public static DatasetKind? KindOf(string name) => Find(name)?.Kind;
}
