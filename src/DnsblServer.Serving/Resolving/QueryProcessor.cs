using System.Runtime.CompilerServices;
using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Serving.Cookies;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Wire;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Acl;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Values;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Resolving;

/// <summary>
/// Answers DNSBL queries from the current <see cref="ZoneSet"/>, as rbldnsd's replypacket does
/// (rbldnsd_packet.c), plus the documented improvements: TC=1 instead of silently dropped records
/// on UDP, an OPT record for EDNS queries (BADVERS for unknown versions, FORMERR for broken ones),
/// NODATA for partial reversed names with entries beneath them (RFC 8020), and DNS Cookies (RFC 7873,
/// RFC 9018) when <see cref="Cookies"/> is set.
/// <para>
/// The query path reads the snapshot reference once, allocates nothing and takes no lock;
/// <see cref="Publish"/> swaps in a new snapshot for every query that starts after it.
/// </para>
/// </summary>
public sealed partial class QueryProcessor : IQueryProcessor
{
    private readonly ResolverOptions _options;
    private readonly byte[]? _versionText;
    private volatile ServingSnapshot _snapshot;
    private readonly AfterAnswerStage? _afterAnswer;
    private readonly Keys.KeyAccess _keys = new();

    // rbldnsd rotates the NS list after each NS set it writes. A shared counter would bounce a cache
    // line between all cores on every positive answer; one per thread rotates just as well.
    [ThreadStatic] private static int t_nsRotation;

    /// <summary>Creates a processor serving <paramref name="zones"/> (or nothing until <see cref="Publish"/>).</summary>
    public QueryProcessor(ResolverOptions options, ZoneSet? zones = null)
    {
        if (options.EdnsPayloadSize < ResponseWriter.DefaultSizeLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "EdnsPayloadSize must be at least 512.");
        }
        _options = options;
        _versionText = options.VersionText is null ? null : Encoding.ASCII.GetBytes(options.VersionText);
        _snapshot = new ServingSnapshot(zones ?? ZoneSet.Empty, UnixNow(), _keys);
    }

    /// <summary>The zone set being served.</summary>
    public ZoneSet Zones => _snapshot.ZoneSet;

    /// <summary>Unix time of the next <c>$TIMESTAMP</c> expiry among the served zones (call <see cref="Publish"/> again then); 0 = none.</summary>
    public long NextExpiry => _snapshot.NextExpiry;

    /// <summary>Serves <paramref name="zones"/> from now on: one reference swap, so no answer mixes old and new data.</summary>
    public void Publish(ZoneSet zones) => _snapshot = new ServingSnapshot(zones, UnixNow(), _keys);

    /// <summary>Keyed access (usage counters, pushed keys, code answers) for the keyed zones; defaults to one of its own, kept in memory only.</summary>
    public Keys.KeyAccess Keys
    {
        get => _keys;
        init
        {
            _keys = value;
            _snapshot = new ServingSnapshot(_snapshot.ZoneSet, UnixNow(), value);
        }
    }

    /// <summary>
    /// What runs after each answer (counters, query log; the rate limiter to come), fed the
    /// <see cref="AnswerFacts"/> this processor settled; null when nothing does (a stage without
    /// steps is kept as null, so the query path skips it with one compare).
    /// </summary>
    public AfterAnswerStage? AfterAnswer
    {
        get => _afterAnswer;
        init => _afterAnswer = value is { Steps.Count: > 0 } ? value : null;
    }

    /// <summary>
    /// DNS Cookies (RFC 7873 §5.2): a query's COOKIE option is judged (<see cref="AnswerFacts.Cookie"/>), a malformed
    /// one answered FORMERR, and every other reply to it carries the client cookie with a fresh server cookie. Null
    /// (the default) ignores the option, as rbldnsd does.
    /// </summary>
    public ServerCookies? Cookies { get; init; }

    /// <inheritdoc />
    public int Process(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, ReadOnlySpan<byte> clientAddress)
    {
        var facts = Answer(query, response, transport, clientAddress);
        return _afterAnswer is { } stage ? stage.Run(ref facts, response) : facts.ResponseBytes;
    }

    /// <summary>Answers one query from an unknown client (no ACL entry matches it); returns the answer's length, 0 when nothing is to be sent.</summary>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, out QueryOutcome outcome) =>
        Answer(query, response, transport, default, out outcome);

    /// <summary>Answers one query from <paramref name="clientAddress"/> (4 or 16 bytes, for the ACLs) into <paramref name="response"/>; returns its length, 0 when nothing is to be sent.</summary>
    public int Answer(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, ReadOnlySpan<byte> clientAddress, out QueryOutcome outcome)
    {
        var facts = Answer(query, response, transport, clientAddress);
        outcome = facts.Outcome;
        return facts.ResponseBytes;
    }

    // The answer stage: reads the query once and says what it did, for the stage after it.
    [SkipLocalsInit]
    private AnswerFacts Answer(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, ReadOnlySpan<byte> clientAddress)
    {
        var snapshot = _snapshot; // once per query
        // the global ACL comes before the packet is even read, as in rbldnsd: an ignored client gets
        // no reply to anything, well-formed or not
        var acl = AclVerdict.Global(snapshot.ZoneSet.GlobalAcl, clientAddress);
        if (acl.Action == AclAction.Ignore)
        {
            return new AnswerFacts(QueryOutcome.Ignored, -1, 0, QueryReadStatus.Ok, transport, query.Length, 0, 0, false, clientAddress);
        }

        Span<byte> name = stackalloc byte[DnsQuery.MaxNameLength];
        Span<byte> labels = stackalloc byte[DnsQuery.MaxLabels];
        var status = QueryReader.Read(query, name, labels, out DnsQuery q);
        if (status.IsDropped())
        {
            return new AnswerFacts(QueryOutcome.Dropped, -1, q.QType, status, transport, query.Length, 0, 0, false, clientAddress);
        }

        // RFC 7873 §5.2, judged before the answer so a malformed option is FORMERR (§5.2.2) and a good one has room
        // reserved; only in EDNS version 0, whose options we know (a BADVERS reply carries none)
        var cookie = CookieStatus.None;
        Span<byte> cookieReply = stackalloc byte[ResponseWriter.CookieDataSize];
        if (Cookies is { } cookies && status == QueryReadStatus.Ok && q.Edns.HasCookie && q.Edns.Version == 0)
        {
            cookie = cookies.Check(q.Edns.Cookie(query), clientAddress, cookieReply);
            if (cookie == CookieStatus.Malformed) status = QueryReadStatus.FormatError;
        }
        bool withCookie = cookie is not (CookieStatus.None or CookieStatus.Malformed);

        bool edns = q.Edns.Present;
        int limit = transport == TransportKind.Tcp ? Math.Min(response.Length, ushort.MaxValue)
            : edns ? Math.Clamp((int)q.Edns.UdpPayloadSize, ResponseWriter.DefaultSizeLimit, _options.EdnsPayloadSize)
            : ResponseWriter.DefaultSizeLimit;
        var writer = new ResponseWriter(response);
        writer.Begin(query, q, limit, transport == TransportKind.Udp ? OverflowPolicy.SetTruncated : OverflowPolicy.ClearAuthoritative, reserveOpt: edns, reserveCookie: withCookie);
        var outcome = Resolve(ref writer, in q, status, name[..q.NameLength], labels[..q.LabelCount], snapshot, ref acl, out int zoneIndex, out var key);
        int length = outcome == QueryOutcome.Ignored ? 0 : edns ? writer.FinishWithOpt(_options.EdnsPayloadSize, withCookie ? cookieReply : default) : writer.Finish();
        return new AnswerFacts(outcome, zoneIndex, q.QType, status, transport, query.Length, length,
            length == 0 ? 0 : q.QuestionEnd, length != 0 && writer.IsTruncated, clientAddress,
            cookie, length == 0 ? 0 : writer.OptOffset, key);
    }

    // The guards, then the zone (and its key), then the data; one outcome (STYLE 4).
    private QueryOutcome Resolve(ref ResponseWriter w, in DnsQuery q, QueryReadStatus status, scoped Span<byte> name, scoped Span<byte> labels,
        ServingSnapshot snapshot, scoped ref AclVerdict acl, out int zoneIndex, out KeyResult key)
    {
        zoneIndex = -1;
        key = KeyResult.None;
        if (status == QueryReadStatus.FormatError) return Fail(ref w, DnsRcode.FormErr, QueryOutcome.FormErr);
        if (q.HasUnsupportedHeader)
        {
            w.ClearRecursionDesired(); // rbldnsd answers these with QR alone
            return Fail(ref w, DnsRcode.NotImp, QueryOutcome.NotImplemented);
        }
        if (q.Edns.Present && q.Edns.Version != 0) return Fail(ref w, DnsRcode.BadVers, QueryOutcome.BadVersion);

        if (q.QClass == DnsClass.IN) w.SetAuthoritative(true);
        else if (q.QClass != DnsClass.ANY) return VersionOrRefuse(ref w, in q, name);

        var types = QueryTypesExtensions.FromQType(q.QType);
        if (types == QueryTypes.None) return Fail(ref w, DnsRcode.NotImp, QueryOutcome.NotImplemented);

        zoneIndex = snapshot.ZoneSet.FindIndex(name, labels, out int below);
        if (zoneIndex < 0) return Fail(ref w, DnsRcode.Refused, QueryOutcome.Refused);
        var zone = snapshot.Zones[zoneIndex];
        acl.AddZone(zone.Zone.Acl);
        if (acl.Action == AclAction.Ignore) return QueryOutcome.Ignored;
        if (!zone.Servable) return Fail(ref w, DnsRcode.ServFail, QueryOutcome.ServFail);
        if (acl.Action == AclAction.Refuse) return Fail(ref w, DnsRcode.Refused, QueryOutcome.AclRefused);
        w.SetZoneApex(q.GetSuffixOffset(labels, zone.Zone.LabelCount));
        if (zone.Keys is { } keys && below > 0)
        {
            key = TakeKey(keys, ref name, ref labels, ref below);
            if (key != KeyResult.Ok || below == 0) return KeyAnswer(ref w, zone, types, key);
        }

        bool found = false;
        if (below == 0)
        {
            // The apex: SOA and NS come from the zone, and must exist when asked for (ANY asks for both).
            found = !((types & QueryTypes.Soa) != 0 && !AddSoa(ref w, zone, DnsSection.Answer))
                 && !((types & QueryTypes.Ns) != 0 && !AddNs(ref w, zone, DnsSection.Answer));
            if (!found)
            {
                w.ResetSections();
                return Fail(ref w, DnsRcode.Refused, QueryOutcome.Refused);
            }
        }

        var lookup = LookupAddress(ref w, zone, types, name, labels, below, in acl);
        found |= lookup == AddressLookup.Listed;
        if (zone.Zone.NameDatasets.Length > 0 && lookup != AddressLookup.Exempted)
        {
            found |= LookupName(ref w, zone, types, q.QType, name[..(below == 0 ? 0 : labels[below])], labels[..below], in acl);
        }
        if (zone.Combined.Length > 0 && lookup != AddressLookup.Exempted) found |= LookupCombined(ref w, zone, types, q.QType, name, labels, ref lookup, in acl);
        if (!found && _options.EmptyNonTerminals && below is >= 1 and <= 3 && !acl.OverridesData) found = HasEntriesBeneath(zone, name, labels, below);

        if (!found)
        {
            AddSoa(ref w, zone, DnsSection.Authority);
            w.SetRcode(DnsRcode.NxDomain);
            return lookup == AddressLookup.Exempted ? QueryOutcome.Exempted : QueryOutcome.NxDomain;
        }
        if (w.AnswerCount == 0)
        {
            AddSoa(ref w, zone, DnsSection.Authority);
            return QueryOutcome.NoData;
        }
        if (zone.NsNames is not null && !_options.LazyNs) AddNs(ref w, zone, DnsSection.Authority);
        return QueryOutcome.Listed;
    }

    private enum AddressLookup { NotAnAddress, NotListed, Exempted, Listed }

    // IPv4 datasets answer the four-label reversed address, or an IPv6 name holding one (6to4,
    // v4-mapped); IPv6 datasets answer 32-nibble names (6to4 ones too, as rbldnsd; not v4-mapped).
    // An address on one of the zone's exempt lists is never answered as listed, whatever the data says.
    private static AddressLookup LookupAddress(ref ResponseWriter w, ServedZone zone, QueryTypes types, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> labels, int below,
        scoped in AclVerdict acl)
    {
        uint ip4 = 0;
        UInt128 ip6 = 0;
        bool hasIp4 = false, hasIp6 = false;
        if (below == 4)
        {
            hasIp4 = ReverseName.TryParseIp4(name, labels, below, out ip4);
        }
        else if (below == 32 && ReverseName.TryParseIp6(name, labels, below, out ip6))
        {
            hasIp6 = true;
            // as rbldnsd's dntoip: only a zone with IPv4 datasets reads the IPv4 address inside a
            // 6to4 or v4-mapped name, and for it a v4-mapped name is an IPv4 question only
            if (zone.Zone.Ip4Datasets.Length > 0 && ReverseName.TryGetEmbeddedIp4(ip6, out ip4))
            {
                hasIp4 = true;
                hasIp6 = (ushort)(ip6 >> 112) == 0x2002;
            }
        }
        if (!hasIp4 && !hasIp6) return AddressLookup.NotAnAddress;

        var zoneData = zone.Zone;
        foreach (var exempt in zoneData.Exempt)
        {
            if ((hasIp4 && exempt.Contains(ip4)) || (hasIp6 && exempt.Contains(ip6))) return AddressLookup.Exempted;
        }

        Span<byte> txt = stackalloc byte[TxtTemplate.MaxLength];
        if (acl.OverridesData) return AlwaysListedAddress(ref w, zoneData, types, hasIp4, hasIp6, in acl, txt);
        bool found = false;
        if (hasIp4 && zoneData.Ip4Datasets.Length > 0)
        {
            Span<byte> ipText = stackalloc byte[15];
            int ipLength = 0;
            foreach (var dataset in zoneData.Ip4Datasets)
            {
                var values = dataset.Lookup(ip4);
                if (values.IsEmpty) continue;
                found = true;
                if ((types & QueryTypes.Txt) != 0 && ipLength == 0) ipLength = Ip4Text.Format(ip4, ipText);
                AddValues(ref w, values, types, dataset.Info.Ttl, ipText[..ipLength], txt);
            }
        }
        if (hasIp6 && zoneData.Ip6Datasets.Length > 0)
        {
            Span<byte> ipText = stackalloc byte[40];
            int ipLength = 0;
            foreach (var dataset in zoneData.Ip6Datasets)
            {
                var values = dataset.Lookup(ip6);
                if (values.IsEmpty) continue;
                found = true;
                if ((types & QueryTypes.Txt) != 0 && ipLength == 0) ipLength = Ip6Text.Format(ip6, ipText);
                AddValues(ref w, values, types, dataset.Info.Ttl, ipText[..ipLength], txt);
            }
        }
        return found ? AddressLookup.Listed : AddressLookup.NotListed;
    }

    // dnset: the name or its nearest wildcard, `$` = the listed name; generic: the records of the
    // name (a name that exists answers NOERROR even without records of the asked type).
    private static bool LookupName(ref ResponseWriter w, ServedZone zone, QueryTypes types, ushort qtype, scoped ReadOnlySpan<byte> below, scoped ReadOnlySpan<byte> labels,
        scoped in AclVerdict acl)
    {
        bool found = false;
        Span<byte> txt = stackalloc byte[TxtTemplate.MaxLength];
        if (acl.OverridesData) return AlwaysListedName(ref w, zone, types, qtype, below, labels, in acl, txt);
        Span<byte> listedText = stackalloc byte[DnsNameText.MaxTextLength];
        foreach (var dataset in zone.Zone.NameDatasets)
        {
            // the kind is a field of the dataset: one load and a jump, then a cast to the sealed class it names
            switch (dataset.Kind)
            {
                case DatasetKind.NameSet:
                    var dnset = (DnsSetDataset)dataset;
                    if (!dnset.TryLookup(below, labels, labels.Length, out var values, out var listed)) continue;
                    found = true;
                    int length = (types & QueryTypes.Txt) != 0 ? DnsSetDataset.FormatListedName(listed, listedText) : 0;
                    AddValues(ref w, values, types, dnset.Info.Ttl, listedText[..length], txt);
                    break;
                case DatasetKind.NameRecords:
                    if (!((GenericDataset)dataset).TryLookup(below, qtype, out var records)) continue;
                    found = true;
                    GenericAnswer.Add(ref w, records);
                    break;
            }
        }
        return found;
    }

    // rbldnsd adds, per entry, the A record and then the TXT record.
    private static void AddValues(ref ResponseWriter w, scoped ReadOnlySpan<DnsblValue> values, QueryTypes types, uint ttl, scoped ReadOnlySpan<byte> substitution, scoped Span<byte> txt)
    {
        foreach (var value in values)
        {
            if ((types & QueryTypes.A) != 0) w.TryAddA(value.A, ttl);
            if ((types & QueryTypes.Txt) != 0 && value.Txt is not null) w.TryAddTxt(txt[..value.RenderTxt(substitution, txt)], ttl);
        }
    }

    private static bool HasEntriesBeneath(ServedZone zone, ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, int below)
    {
        if (!ReverseName.TryParsePartialIp4(name, labels, below, out uint first, out uint last)) return false;
        foreach (var dataset in zone.Zone.Ip4Datasets)
        {
            if (dataset.HasEntriesIn(first, last)) return true;
        }
        return false;
    }

    private static bool AddSoa(ref ResponseWriter w, ServedZone zone, DnsSection section)
    {
        if (zone.SoaMname is null) return false;
        var timers = zone.SoaTimers;
        // In AUTHORITY (negative answers) the SOA's TTL is its MINIMUM field, as rbldnsd and RFC 2308 do.
        uint ttl = section == DnsSection.Authority ? timers.Minimum : zone.SoaTtl;
        return w.TryAddSoa(section, ttl, zone.SoaMname, zone.SoaRname, in timers);
    }

    private static bool AddNs(ref ResponseWriter w, ServedZone zone, DnsSection section)
    {
        if (zone.NsNames is null) return false;
        if (!w.TryAddNs(section, zone.NsNames, t_nsRotation, zone.NsTtl, zone.Glue)) return false;
        t_nsRotation++;
        return true;
    }

    private QueryOutcome VersionOrRefuse(ref ResponseWriter w, in DnsQuery q, scoped ReadOnlySpan<byte> name)
    {
        if (_versionText is not null && q.QClass == DnsClass.CH && q.QType == DnsType.TXT &&
            (name.SequenceEqual("\u0007version\u0004bind\0"u8) || name.SequenceEqual("\u0007version\u0006server\0"u8)))
        {
            w.EchoRequestFlags2(in q); // rbldnsd answers before it resets header byte 3
            w.TryAddVersionTxt(_versionText);
            return QueryOutcome.Version;
        }
        return Fail(ref w, DnsRcode.Refused, QueryOutcome.Refused);
    }

    private static QueryOutcome Fail(ref ResponseWriter w, DnsRcode rcode, QueryOutcome outcome)
    {
        w.SetAuthoritative(false);
        w.SetRcode(rcode);
        return outcome;
    }

    private static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
