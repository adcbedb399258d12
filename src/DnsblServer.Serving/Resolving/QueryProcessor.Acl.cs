using DnsblServer.Wire;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Acl;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Values;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Resolving;

// How the ACLs bend an answer (rbldnsd's check_query_overwrites; the observed rules are in
// src/DnsblServer.Zones/Datasets/Acl/README.md): the global ACL is read before the packet, the
// zone's once the zone is known; ignore drops the query, refuse answers REFUSED, and empty and
// always-listed replace what the zone's listing datasets would have said.
public sealed partial class QueryProcessor
{
    /// <summary>What the ACLs say about this query's client, settled as rbldnsd ORs its flags.</summary>
    private ref struct AclVerdict
    {
        public AclAction Action;
        public ReadOnlySpan<DnsblValue> Value; // the always-listed value
        public uint Ttl;                       // ... and its TTL (the ACL's $TTL)
        public ReadOnlySpan<byte> Client;

        public static AclVerdict Global(AclDataset? acl, ReadOnlySpan<byte> client)
        {
            var verdict = new AclVerdict { Client = client };
            if (acl is not null)
            {
                verdict.Action = acl.Lookup(client, out verdict.Value);
                verdict.Ttl = acl.Info.Ttl;
            }
            return verdict;
        }

        /// <summary>Adds the zone's ACL: the stronger action wins; on a tie the global value stays.</summary>
        public void AddZone(AclDataset? acl)
        {
            if (acl is null) return;
            var action = acl.Lookup(Client, out var value);
            if (!AclActions.ZoneWins(Action, action)) return;
            Action = action;
            Value = value;
            Ttl = acl.Info.Ttl;
        }

        /// <summary>True when the zone's listing data must not be consulted (empty, always-listed).</summary>
        public readonly bool OverridesData => Action is AclAction.Empty or AclAction.AlwaysListed;
    }

    // An address name under empty or always-listed: every IP dataset that would have looked the
    // address up answers the ACL's value instead (or nothing, for empty), listed or not.
    private static AddressLookup AlwaysListedAddress(ref ResponseWriter w, Zone zone, QueryTypes types, bool hasIp4, bool hasIp6, scoped in AclVerdict acl, scoped Span<byte> txt)
    {
        int datasets = (hasIp4 ? zone.Ip4Datasets.Length : 0) + (hasIp6 ? zone.Ip6Datasets.Length : 0);
        if (acl.Action != AclAction.AlwaysListed || datasets == 0) return AddressLookup.NotListed;
        Span<byte> client = stackalloc byte[AclDataset.MaxClientAddressLength];
        int length = (types & QueryTypes.Txt) != 0 ? AclDataset.FormatClientAddress(acl.Client, client) : 0;
        for (int i = 0; i < datasets; i++) AddValues(ref w, acl.Value, types, acl.Ttl, client[..length], txt);
        return AddressLookup.Listed;
    }

    // A name under empty or always-listed: a dnset answers the ACL's value for any name below the
    // apex (nothing for empty); a generic name still exists but its records are not given.
    private static bool AlwaysListedName(ref ResponseWriter w, ServedZone zone, QueryTypes types, ushort qtype, scoped ReadOnlySpan<byte> below, scoped ReadOnlySpan<byte> labels,
        scoped in AclVerdict acl, scoped Span<byte> txt)
    {
        bool found = false;
        Span<byte> client = stackalloc byte[AclDataset.MaxClientAddressLength];
        int length = -1;
        foreach (var dataset in zone.Zone.NameDatasets)
        {
            switch (dataset.Kind)
            {
                case DatasetKind.NameSet:
                    if (acl.Action != AclAction.AlwaysListed || labels.Length == 0) continue;
                    if (length < 0) length = (types & QueryTypes.Txt) != 0 ? AclDataset.FormatClientAddress(acl.Client, client) : 0;
                    AddValues(ref w, acl.Value, types, acl.Ttl, client[..length], txt);
                    found = true;
                    break;
                case DatasetKind.NameRecords:
                    if (((GenericDataset)dataset).TryLookup(below, qtype, out _)) found = true;
                    break;
            }
        }
        return found;
    }
}
