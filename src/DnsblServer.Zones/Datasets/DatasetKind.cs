namespace DnsblServer.Zones.Datasets;

/// <summary>
/// How the query path uses a dataset: which lookup it calls. Each dataset class has one kind, set by its
/// constructor; the resolver switches on it (an enum read, no virtual call) and casts to the class it names.
/// </summary>
public enum DatasetKind : byte
{
    /// <summary>Looked up by IPv4 address (ip4set, ip4tset, ip4trie): an <see cref="Ip4.Ip4Dataset"/>.</summary>
    Ip4,

    /// <summary>Looked up by IPv6 address (ip6trie, ip6tset): an <see cref="Ip6.Ip6Dataset"/>.</summary>
    Ip6,

    /// <summary>Looked up by name, answering values with wildcards (dnset): a <see cref="Dns.DnsSetDataset"/>.</summary>
    NameSet,

    /// <summary>Looked up by name, answering records (generic): a <see cref="Generic.GenericDataset"/>.</summary>
    NameRecords,

    /// <summary>Subzones with datasets of their own (combined): a <see cref="Combined.CombinedDataset"/>.</summary>
    Combined,

    /// <summary>Keyed by the client's address, bending the answer (acl): an <see cref="Acl.AclDataset"/>.</summary>
    Acl,

    /// <summary>An allow-list that overrides listings (exempt): an <see cref="Exempt.ExemptDataset"/>.</summary>
    Exempt,

    /// <summary>Access keys with daily quotas, making the zone keyed (keys): a <see cref="Keys.KeysDataset"/>; never looked up as data.</summary>
    Keys,
}
