using DnsblServer.Serving.Keys;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Wire;

namespace DnsblServer.Serving.Resolving;

// Keyed zones (a keys dataset): every name below the apex carries an access key as the label left of
// the zone name, `4.3.2.1.KEY.zone`. The key is looked up (any ASCII case), counted against its daily
// quota, then cut out of the name so the rest of the resolver answers `4.3.2.1.zone` as for an unkeyed
// zone; the question in the packet keeps it, so the answer's owner is the name as asked. Unknown keys
// and keys past their quota get the configured code (A and TXT) instead. Where rspamd's aclkey strips
// the key and counts without reading the count back, this enforces the count and exports it.
public sealed partial class QueryProcessor
{
    // The label at below-1 is the key. On success it is removed from the name in place (the name and
    // label offsets are this query's stack copies; the zone suffix moves left over it): a few dozen bytes.
    private KeyResult TakeKey(KeyTable keys, scoped ref Span<byte> name, scoped ref Span<byte> labels, scoped ref int below)
    {
        int start = labels[below - 1], apex = labels[below];
        int index = keys.Find(name.Slice(start + 1, name[start]));
        if (index < 0) return KeyResult.UnknownKey;
        if (!keys.Admit(index, _keys.UtcTicks())) return KeyResult.OverQuota;
        int cut = apex - start;
        name[apex..].CopyTo(name[start..]);
        name = name[..^cut];
        for (int i = below; i < labels.Length; i++) labels[i - 1] = (byte)(labels[i] - cut);
        labels = labels[..^1];
        below--;
        return KeyResult.Ok;
    }

    // The code answers (A and TXT of the configured code, short TTL; other types NODATA), and for a valid
    // key alone (`KEY.zone`) NODATA: the name exists, it has names beneath it (RFC 8020).
    private QueryOutcome KeyAnswer(ref ResponseWriter w, ServedZone zone, QueryTypes types, KeyResult key)
    {
        var options = _keys.Options;
        if (key == KeyResult.Ok || (types & (QueryTypes.A | QueryTypes.Txt)) == 0)
        {
            AddSoa(ref w, zone, DnsSection.Authority);
            return key == KeyResult.Ok ? QueryOutcome.NoData : QueryOutcome.KeyRefused;
        }
        bool unknown = key == KeyResult.UnknownKey;
        if ((types & QueryTypes.A) != 0) w.TryAddA(unknown ? options.UnknownKeyAddress : options.OverQuotaAddress, options.Ttl);
        if ((types & QueryTypes.Txt) != 0) w.TryAddTxt(unknown ? _keys.UnknownKeyText : _keys.OverQuotaText, options.Ttl);
        return QueryOutcome.KeyRefused;
    }
}
