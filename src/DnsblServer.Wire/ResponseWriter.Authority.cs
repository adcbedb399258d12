using System.Buffers.Binary;

namespace DnsblServer.Wire;

/// <content>
/// SOA and NS RRsets (ANSWER or AUTHORITY) and glue, compressed like rbldnsd's precomputed blocks
/// (<c>update_zone_soa</c>, <c>update_zone_ns</c>, <c>dnc_add</c>, <c>dnc_final</c>).
/// </content>
public ref partial struct ResponseWriter
{
    /// <summary>rbldnsd's <c>MAX_NS</c>: names beyond the first 32 are ignored.</summary>
    public const int MaxNameServers = 32;

    private const int SoaTimersLength = 20;

    /// <summary>
    /// Adds the zone's SOA record, owner = zone apex (see <see cref="SetZoneApex"/>); MNAME and RNAME are compressed
    /// against the apex and against each other (rbldnsd <c>addrr_soa</c>).
    /// </summary>
    /// <param name="section">ANSWER (apex SOA/ANY) or AUTHORITY (negative answers, NODATA).</param>
    /// <param name="ttl">TTL to write; rbldnsd writes the SOA's own TTL in ANSWER and <see cref="SoaTimers.Minimum"/> in AUTHORITY.</param>
    /// <param name="mname">Primary server, uncompressed wire format (lowercase, as rbldnsd stores it).</param>
    /// <param name="rname">Responsible mailbox, uncompressed wire format.</param>
    /// <param name="timers">Serial, refresh, retry, expire, minimum.</param>
    /// <returns>
    /// False when it did not fit. In ANSWER that counts as an answer overflow (rbldnsd clears AA); in AUTHORITY it only
    /// sets <see cref="OtherSectionOverflowed"/>.
    /// </returns>
    public bool TryAddSoa(DnsSection section, uint ttl, scoped ReadOnlySpan<byte> mname, scoped ReadOnlySpan<byte> rname, in SoaTimers timers)
    {
        EnsureOpen(section == DnsSection.Answer ? _authorityCount + _additionalCount : _additionalCount);
        ValidName(mname, nameof(mname));
        ValidName(rname, nameof(rname));

        int start = _position;
        StartBlock();
        if (!TryWriteBlockOwner() || !TryReserve(10, out int fixedAt) || !TryWriteName(mname) || !TryWriteName(rname)
            || !TryReserve(SoaTimersLength, out int timersAt))
        {
            _position = start;
            BlockDidNotFit(section, rbldnsdClearsAa: true);
            return false;
        }

        WriteFixed(_buffer[fixedAt..], DnsType.SOA, DnsClass.IN, ttl, _position - fixedAt - 10);
        Span<byte> t = _buffer.Slice(timersAt, SoaTimersLength);
        BinaryPrimitives.WriteUInt32BigEndian(t, timers.Serial);
        BinaryPrimitives.WriteUInt32BigEndian(t[4..], timers.Refresh);
        BinaryPrimitives.WriteUInt32BigEndian(t[8..], timers.Retry);
        BinaryPrimitives.WriteUInt32BigEndian(t[12..], timers.Expire);
        BinaryPrimitives.WriteUInt32BigEndian(t[16..], timers.Minimum);
        CountBlock(section, 1, 0);
        return true;
    }

    /// <summary>
    /// Adds the zone's NS RRset, owner = zone apex, starting at name <paramref name="rotation"/> and wrapping around
    /// (rbldnsd rotates by one per reply; it keeps the counter, we take it from the caller). In AUTHORITY, glue A records
    /// follow in ADDITIONAL, their owners pointing at the NS targets; if NS + glue do not fit, NS alone is tried, as in
    /// rbldnsd's <c>addrr_ns</c>. In ANSWER no glue is written.
    /// </summary>
    /// <param name="section">ANSWER (apex NS/ANY) or AUTHORITY (positive answers).</param>
    /// <param name="names">The NS targets, uncompressed wire names back to back, in configuration order (max 32 used).</param>
    /// <param name="rotation">Index of the first name to write; any value, taken modulo the name count.</param>
    /// <param name="ttl">TTL of every NS record.</param>
    /// <param name="glue">Glue A records in the order to write them (rbldnsd: configuration order, not rotated).</param>
    /// <returns>False when there are no names or not even the NS records fit; AA is left alone, as rbldnsd does.</returns>
    public bool TryAddNs(
        DnsSection section, scoped ReadOnlySpan<byte> names, int rotation, uint ttl, scoped ReadOnlySpan<GlueAddress> glue = default)
    {
        EnsureOpen(section == DnsSection.Answer ? _authorityCount + _additionalCount : _additionalCount);
        Span<ushort> starts = stackalloc ushort[MaxNameServers + 1];
        int count = SplitNames(names, starts);
        if (count == 0)
        {
            return false;
        }

        int first = (int)((uint)rotation % (uint)count);
        int start = _position;
        if (section == DnsSection.Authority && !glue.IsEmpty)
        {
            if (TryWriteNsBlock(names, starts, count, first, ttl) && TryWriteGlue(names, starts, count, glue))
            {
                CountBlock(section, count, glue.Length);
                return true;
            }

            _position = start;
            _otherOverflowed = true;
        }

        if (TryWriteNsBlock(names, starts, count, first, ttl))
        {
            CountBlock(section, count, 0);
            return true;
        }

        _position = start;
        BlockDidNotFit(section, rbldnsdClearsAa: false);
        return false;
    }

    private bool TryWriteNsBlock(scoped ReadOnlySpan<byte> names, scoped ReadOnlySpan<ushort> starts, int count, int first, uint ttl)
    {
        StartBlock();
        for (int i = 0; i < count; i++)
        {
            int n = (first + i) % count;
            if (!TryWriteBlockOwner() || !TryReserve(10, out int fixedAt)
                || !TryWriteName(names[starts[n]..starts[n + 1]]))
            {
                return false;
            }

            WriteFixed(_buffer[fixedAt..], DnsType.NS, DnsClass.IN, ttl, _position - fixedAt - 10);
        }

        return true;
    }

    private bool TryWriteGlue(scoped ReadOnlySpan<byte> names, scoped ReadOnlySpan<ushort> starts, int count, scoped ReadOnlySpan<GlueAddress> glue)
    {
        foreach (GlueAddress g in glue)
        {
            if ((uint)g.NameIndex >= (uint)count)
            {
                ThrowGlueIndex();
            }

            // The NS records just written are in the table, so the owner becomes a pointer to one of them.
            if (!TryWriteName(names[starts[g.NameIndex]..starts[g.NameIndex + 1]]) || !TryReserve(14, out int at))
            {
                return false;
            }

            WriteFixed(_buffer[at..], DnsType.A, DnsClass.IN, g.Ttl, 4);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[(at + 10)..], g.Address);
        }

        return true;
    }

    private void CountBlock(DnsSection section, int records, int glue)
    {
        if (section == DnsSection.Answer)
        {
            _answerCount += records;
            SetCount(6, _answerCount);
            return;
        }

        _authorityCount += records;
        SetCount(8, _authorityCount);
        if (glue != 0)
        {
            _additionalCount += glue;
            SetCount(10, _additionalCount);
        }
    }

    private void BlockDidNotFit(DnsSection section, bool rbldnsdClearsAa)
    {
        if (section == DnsSection.Answer)
        {
            AnswerDidNotFit(rbldnsdClearsAa);
        }
        else
        {
            _otherOverflowed = true;
        }
    }
}
