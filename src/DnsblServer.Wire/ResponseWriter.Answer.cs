using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace DnsblServer.Wire;

/// <content>
/// ANSWER records whose owner is a pointer into the question, merged like rbldnsd's <c>addrr_any</c> and
/// <c>checkrr_present</c>.
/// </content>
public ref partial struct ResponseWriter
{
    // Owner pointer (2) + TYPE + CLASS + TTL + RDLENGTH.
    private const int AnswerOverhead = 12;

    /// <summary>Adds an A record (rbldnsd <c>addrr_a_txt</c>, A part).</summary>
    /// <param name="address">IPv4 address, most significant octet first (127.0.0.2 = 0x7F000002).</param>
    /// <param name="ttl">TTL; see <see cref="TryAddRecord"/> for how TTLs of one type are merged.</param>
    /// <param name="ownerOffset">Where the owner pointer points: the question name (default) or a suffix of it.</param>
    /// <returns>False when it did not fit (see <see cref="OverflowPolicy"/>).</returns>
    public bool TryAddA(uint address, uint ttl, int ownerOffset = DnsQuery.NameOffset)
    {
        Span<byte> rdata = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rdata, address);
        return TryAddRecord(DnsType.A, rdata, ttl, ownerOffset);
    }

    /// <summary>
    /// Adds a TXT record with one character-string (rbldnsd <c>addrr_a_txt</c>, TXT part). The text is already
    /// rendered by the zone engine (templates are its business); an empty text adds nothing and returns true
    /// (rbldnsd: <c>if (sl)</c>).
    /// </summary>
    /// <param name="text">The rendered text, at most 255 bytes (rbldnsd renders at most 254).</param>
    /// <param name="ttl">TTL.</param>
    /// <param name="ownerOffset">Owner pointer target.</param>
    /// <returns>False when it did not fit.</returns>
    [SkipLocalsInit] // the stack buffer is fully written before use
    public bool TryAddTxt(scoped ReadOnlySpan<byte> text, uint ttl, int ownerOffset = DnsQuery.NameOffset)
    {
        if (text.IsEmpty)
        {
            return true;
        }

        int length = Math.Min(text.Length, 255);
        Span<byte> rdata = stackalloc byte[256];
        rdata[0] = (byte)length;
        text[..length].CopyTo(rdata[1..]);
        return TryAddRecord(DnsType.TXT, rdata[..(length + 1)], ttl, ownerOffset);
    }

    /// <summary>
    /// Adds an MX record. The exchange is written uncompressed, as rbldnsd's generic dataset stores it.
    /// </summary>
    /// <param name="preference">Preference.</param>
    /// <param name="exchange">Exchange host, uncompressed wire format.</param>
    /// <param name="ttl">TTL.</param>
    /// <param name="ownerOffset">Owner pointer target.</param>
    /// <returns>False when it did not fit.</returns>
    [SkipLocalsInit]
    public bool TryAddMx(ushort preference, scoped ReadOnlySpan<byte> exchange, uint ttl, int ownerOffset = DnsQuery.NameOffset)
    {
        int nameLength = ValidName(exchange, nameof(exchange));
        Span<byte> rdata = stackalloc byte[2 + DnsQuery.MaxNameLength];
        BinaryPrimitives.WriteUInt16BigEndian(rdata, preference);
        exchange[..nameLength].CopyTo(rdata[2..]);
        return TryAddRecord(DnsType.MX, rdata[..(2 + nameLength)], ttl, ownerOffset);
    }

    /// <summary>
    /// Adds a class-IN record with raw RDATA, owner = pointer to <paramref name="ownerOffset"/>. Same rules as
    /// rbldnsd's <c>addrr_any</c>:
    /// <list type="bullet">
    /// <item>an ANSWER record with the same owner, type and RDATA already there → nothing added, returns true;</item>
    /// <item>records of one type share the smallest TTL: a smaller new TTL lowers the earlier ones (even when the new
    /// record turns out to be a duplicate or does not fit), a larger one is replaced by theirs;</item>
    /// <item>a resulting TTL of 0 adds nothing (rbldnsd treats 0 as "already present");</item>
    /// <item>no room, or already 255 answers → not added, returns false, and per <see cref="OverflowPolicy"/> AA is
    /// cleared or TC will be set.</item>
    /// </list>
    /// </summary>
    /// <param name="type">RR type.</param>
    /// <param name="rdata">RDATA, at most 65535 bytes.</param>
    /// <param name="ttl">TTL.</param>
    /// <param name="ownerOffset">Owner pointer target: <see cref="DnsQuery.NameOffset"/> (rbldnsd always) or a suffix.</param>
    /// <returns>False when it did not fit.</returns>
    public bool TryAddRecord(ushort type, scoped ReadOnlySpan<byte> rdata, uint ttl, int ownerOffset = DnsQuery.NameOffset)
    {
        EnsureOpen(_authorityCount + _additionalCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rdata.Length, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(ownerOffset, DnsQuery.NameOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ownerOffset, _questionEnd - 5);

        ushort owner = (ushort)(0xC000 | ownerOffset);
        ttl = MergeTtl(owner, type, rdata, ttl);
        if (ttl == 0)
        {
            return true;
        }

        if (_answerCount >= MaxAnswers || _position + AnswerOverhead + rdata.Length > _recordLimit)
        {
            AnswerDidNotFit(rbldnsdClearsAa: true);
            return false;
        }

        Span<byte> rr = _buffer[_position..];
        BinaryPrimitives.WriteUInt16BigEndian(rr, owner);
        WriteFixed(rr[2..], type, DnsClass.IN, ttl, rdata.Length);
        rdata.CopyTo(rr[AnswerOverhead..]);
        _position += AnswerOverhead + rdata.Length;
        SetCount(6, ++_answerCount);
        return true;
    }

    /// <summary>
    /// Adds the version.bind / version.server answer as rbldnsd's <c>version_req</c> writes it: owner pointer to the
    /// question, class CH, TTL 0, one character-string (cut at 255 bytes), no duplicate check. The caller leaves AA
    /// clear and, to match rbldnsd exactly, calls <see cref="EchoRequestFlags2"/>.
    /// </summary>
    /// <param name="text">The version text, e.g. <c>rbldnsd 1.0pre (snapshot 20210120)</c>.</param>
    /// <returns>False when it did not fit.</returns>
    public bool TryAddVersionTxt(scoped ReadOnlySpan<byte> text)
    {
        EnsureOpen(_authorityCount + _additionalCount);
        if (text.Length > 255)
        {
            text = text[..255];
        }

        int size = AnswerOverhead + 1 + text.Length;
        if (_answerCount >= MaxAnswers || _position + size > _recordLimit)
        {
            AnswerDidNotFit(rbldnsdClearsAa: false);
            return false;
        }

        Span<byte> rr = _buffer[_position..];
        BinaryPrimitives.WriteUInt16BigEndian(rr, 0xC000 | DnsQuery.NameOffset);
        WriteFixed(rr[2..], DnsType.TXT, DnsClass.CH, 0, text.Length + 1);
        rr[AnswerOverhead] = (byte)text.Length;
        text.CopyTo(rr[(AnswerOverhead + 1)..]);
        _position += size;
        SetCount(6, ++_answerCount);
        return true;
    }

    /// <summary>
    /// rbldnsd's <c>checkrr_present</c>: the TTL to write, or 0 for "do not add". It compares with the first ANSWER
    /// record of the same type, which by this very rule carries the TTL all of them share.
    /// </summary>
    private readonly uint MergeTtl(ushort owner, ushort type, scoped ReadOnlySpan<byte> rdata, uint ttl)
    {
        int p = _answerStart;
        int i = 0;
        for (; i < _answerCount; i++)
        {
            if (IsSameRrset(p, owner, type))
            {
                break;
            }

            p = NextAnswer(p);
        }

        if (i == _answerCount)
        {
            return ttl;
        }

        uint shared = BinaryPrimitives.ReadUInt32BigEndian(_buffer[(OwnerLength(p) + p + 4)..]);
        bool duplicate = false;
        for (; i < _answerCount; i++, p = NextAnswer(p))
        {
            if (!IsSameRrset(p, owner, type))
            {
                continue;
            }

            int fixedAt = p + OwnerLength(p);
            if (ttl < shared)
            {
                BinaryPrimitives.WriteUInt32BigEndian(_buffer[(fixedAt + 4)..], ttl);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer[(fixedAt + 8)..]);
            duplicate |= rdata.SequenceEqual(_buffer.Slice(fixedAt + 10, length));
        }

        return duplicate ? 0 : Math.Min(ttl, shared);
    }

    // ANSWER owners are always a pointer, or a single zero byte for a root-zone SOA/NS.
    private readonly int OwnerLength(int p) => _buffer[p] == 0 ? 1 : 2;

    private readonly int NextAnswer(int p)
    {
        int fixedAt = p + OwnerLength(p);
        return fixedAt + 10 + BinaryPrimitives.ReadUInt16BigEndian(_buffer[(fixedAt + 8)..]);
    }

    // rbldnsd only compares TYPE (every owner is the question); comparing the owner too keeps that result and stays
    // correct when a caller points owners at different names.
    private readonly bool IsSameRrset(int p, ushort owner, ushort type) =>
        OwnerLength(p) == 2
        && BinaryPrimitives.ReadUInt16BigEndian(_buffer[p..]) == owner
        && BinaryPrimitives.ReadUInt16BigEndian(_buffer[(p + 2)..]) == type;

    private static void WriteFixed(Span<byte> at, ushort type, ushort @class, uint ttl, int rdLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(at, type);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], @class);
        BinaryPrimitives.WriteUInt32BigEndian(at[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(at[8..], (ushort)rdLength);
    }
}
