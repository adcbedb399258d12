using DnsblServer.Wire;

namespace DnsblServer.Serving.Resolving;

public sealed partial class QueryProcessor
{
    // rbldnsd's ds_combined_query: each combined dataset of the zone takes the most specific of its subzones
    // holding the name, and that subzone's datasets answer with the labels below it, by the same lookups as
    // a zone's own datasets (a subzone is prepared as a zone with its absolute name). The apex of a subzone
    // always exists: NOERROR, with its generic records if any, else NODATA. A name above a subzone that is not
    // itself one (no `@`, no empty non-terminals) is not found. Exempt lists and ACLs of the zone apply in
    // subzones too (rbldnsd passes the query's ACL flags down).
    private bool LookupCombined(ref ResponseWriter w, ServedZone zone, QueryTypes types, ushort qtype, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> labels, ref AddressLookup lookup,
        scoped in AclVerdict acl)
    {
        bool found = false;
        var combined = zone.Zone.Combined;
        for (int i = 0; i < combined.Length; i++)
        {
            int index = combined[i].FindIndex(name, labels, out int below);
            if (index < 0) continue;
            var subzone = zone.Combined[i][index];
            var address = LookupAddress(ref w, subzone, types, name, labels, below, in acl);
            if (address == AddressLookup.Exempted)
            {
                lookup = AddressLookup.Exempted;
                continue;
            }
            bool here = below == 0 || address == AddressLookup.Listed;
            if (subzone.Zone.NameDatasets.Length > 0)
            {
                here |= LookupName(ref w, subzone, types, qtype, name[..(below == 0 ? 0 : labels[below])], labels[..below], in acl);
            }
            if (!here && _options.EmptyNonTerminals && below is >= 1 and <= 3 && !acl.OverridesData) here = HasEntriesBeneath(subzone, name, labels, below);
            found |= here;
        }
        return found;
    }
}
