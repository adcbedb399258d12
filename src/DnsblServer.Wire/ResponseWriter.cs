using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using DnsblServer.Wire.Internal;

namespace DnsblServer.Wire;

/// <summary>
/// Builds a reply in a caller-provided buffer (it may be the request buffer): header and echoed question, then ANSWER,
/// AUTHORITY and ADDITIONAL records in that order, then an optional OPT RR. No allocation, no locks.
/// </summary>
/// <remarks>
/// <para>
/// Modelled on rbldnsd's <c>replypacket</c>/<c>addrr_*</c> (rbldnsd_packet.c) so that the same calls give the same
/// bytes: owners are pointers into the question, duplicates are merged like <c>checkrr_present</c>, SOA and NS blocks
/// are compressed like its <c>dnc_*</c> caches. Where we differ by choice (TC, OPT) the caller picks the behaviour.
/// </para>
/// <para>Usage: <see cref="Begin"/>, header setters, <c>TryAdd*</c> in section order, then one <c>Finish*</c> call.</para>
/// </remarks>
public ref partial struct ResponseWriter
{
    /// <summary>Size limit without EDNS (RFC 1035 §4.2.1; rbldnsd <c>DNS_MAXPACKET</c>).</summary>
    public const int DefaultSizeLimit = 512;

    /// <summary>rbldnsd only keeps the low byte of ANCOUNT, so it stops at 255 answers; so do we.</summary>
    public const int MaxAnswers = 255;

    /// <summary>Size of the OPT RR we write: root owner, TYPE, CLASS, TTL, RDLENGTH = 0.</summary>
    public const int OptRecordSize = 11;

    /// <summary>
    /// Size of the COOKIE option we put in that OPT RR: code, length, 8-byte client cookie and 16-byte server cookie
    /// (RFC 7873 §4, RFC 9018 §4).
    /// </summary>
    public const int CookieOptionSize = 4 + CookieDataSize;

    /// <summary>The COOKIE option data we write: client cookie (8) and an RFC 9018 server cookie (16).</summary>
    public const int CookieDataSize = 8 + 16;

    private const byte FlagQr = 0x80;
    private const byte FlagAa = 0x04;
    private const byte FlagTc = 0x02;
    private const byte FlagRd = 0x01;

    private readonly Span<byte> _buffer;
    private int _position;
    private int _sizeLimit;    // whole message, OPT included
    private int _recordLimit;  // where records must end: _sizeLimit minus a reserved OPT
    private int _answerStart;  // rbldnsd p_sans
    private int _questionEnd;
    private int _apexOffset;
    private int _answerCount;
    private int _authorityCount;
    private int _additionalCount;
    private OverflowPolicy _policy;
    private bool _answerOverflowed;
    private bool _otherOverflowed;
    private byte _extendedRcode;
    private int _optOffset;
    private CompressionTable _names;

    /// <summary>
    /// Creates a writer over <paramref name="buffer"/>. Give it at least 512 bytes; 2048 for rbldnsd-style EDNS replies.
    /// </summary>
    public ResponseWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Bytes written so far: the reply length once finished.</summary>
    public readonly int Length => _position;

    /// <summary>The reply written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>Records in ANSWER.</summary>
    public readonly int AnswerCount => _answerCount;

    /// <summary>Records in AUTHORITY.</summary>
    public readonly int AuthorityCount => _authorityCount;

    /// <summary>Records in ADDITIONAL, OPT included once written.</summary>
    public readonly int AdditionalCount => _additionalCount;

    /// <summary>True when an ANSWER record (or an ANSWER SOA/NS set) was left out for lack of room or the 255 cap.</summary>
    public readonly bool AnswerOverflowed => _answerOverflowed;

    /// <summary>True when an AUTHORITY record or glue was left out for lack of room (never sets TC).</summary>
    public readonly bool OtherSectionOverflowed => _otherOverflowed;

    /// <summary>The RCODE set so far, extended bits included.</summary>
    public readonly DnsRcode Rcode => (DnsRcode)((_buffer[3] & 0x0F) | (_extendedRcode << 4));

    /// <summary>AA bit as currently set.</summary>
    public readonly bool IsAuthoritative => (_buffer[2] & FlagAa) != 0;

    /// <summary>
    /// True when no further ANSWER record can fit: 255 answers already, or no room left for even an empty one.
    /// Lets a caller with many records stop scanning instead of offering each in turn.
    /// </summary>
    public readonly bool AnswerIsFull => _answerCount >= MaxAnswers || _position + AnswerOverhead > _recordLimit;

    /// <summary>TC bit as currently set (only <see cref="OverflowPolicy.SetTruncated"/> at finish sets it).</summary>
    public readonly bool IsTruncated => (_buffer[2] & FlagTc) != 0;

    /// <summary>Offset of the OPT RR written by a Finish method (always the last record); 0 when none was written.</summary>
    public readonly int OptOffset => _optOffset;

    /// <summary>
    /// Starts a reply to <paramref name="query"/>: ID copied, flags = QR plus the query's RD (rbldnsd
    /// <c>h[p_f1] |= pf1_qr</c> after its NOTIMP guard has ruled out OPCODE/AA/TC), byte 3 = 0 (RA, Z, AD, CD, RCODE
    /// cleared), QDCOUNT = 1, other counts 0, question copied as received so the client's case is echoed.
    /// </summary>
    /// <param name="request">The request the query was read from (may overlap the writer's buffer).</param>
    /// <param name="query">The parsed query.</param>
    /// <param name="sizeLimit">Largest reply, OPT included; capped at the buffer size. rbldnsd: <see cref="RbldnsdEdns.AnswerLimit"/>.</param>
    /// <param name="policy">What to do when an answer does not fit.</param>
    /// <param name="reserveOpt">Keep <see cref="OptRecordSize"/> bytes free for <see cref="FinishWithOpt(ushort)"/> (Knot, NSD).</param>
    /// <param name="reserveCookie">
    /// With <paramref name="reserveOpt"/>, keep <see cref="CookieOptionSize"/> more for the COOKIE option of
    /// <see cref="FinishWithOpt(ushort, ReadOnlySpan{byte})"/>, so no answer record can take the cookie's room.
    /// </param>
    public void Begin(
        scoped ReadOnlySpan<byte> request,
        in DnsQuery query,
        int sizeLimit = DefaultSizeLimit,
        OverflowPolicy policy = OverflowPolicy.ClearAuthoritative,
        bool reserveOpt = false,
        bool reserveCookie = false)
    {
        int questionEnd = query.QuestionEnd;
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Length, questionEnd);
        if (_buffer.Length < questionEnd)
        {
            throw new ArgumentException("The reply buffer cannot hold the question.", nameof(request));
        }

        // CopyTo is a memmove, so an in-place reply (same buffer) is fine.
        request[DnsQuery.HeaderSize..questionEnd].CopyTo(_buffer[DnsQuery.HeaderSize..]);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, query.Id);
        _buffer[2] = (byte)(FlagQr | (query.Flags1 & FlagRd));
        _buffer[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[4..], 1);
        _buffer.Slice(6, 6).Clear();

        _position = _answerStart = _questionEnd = questionEnd;
        _apexOffset = DnsQuery.NameOffset;
        _sizeLimit = Math.Min(sizeLimit, _buffer.Length);
        _recordLimit = _sizeLimit - (reserveOpt ? OptRecordSize + (reserveCookie ? CookieOptionSize : 0) : 0);
        _answerCount = _authorityCount = _additionalCount = 0;
        _policy = policy;
        _answerOverflowed = _otherOverflowed = false;
        _extendedRcode = 0;
        _optOffset = 0;
    }

    /// <summary>
    /// Sets the RCODE. The low 4 bits go in the header now; higher bits (BADVERS) only reach the wire through
    /// <see cref="FinishWithOpt(ushort, ReadOnlySpan{byte})"/>.
    /// </summary>
    public void SetRcode(DnsRcode rcode)
    {
        _buffer[3] = (byte)((_buffer[3] & 0xF0) | ((int)rcode & 0x0F));
        _extendedRcode = (byte)((int)rcode >> 4);
    }

    /// <summary>Sets or clears AA (rbldnsd: set for class IN, cleared on errors and when records were dropped).</summary>
    public void SetAuthoritative(bool authoritative)
    {
        _buffer[2] = authoritative ? (byte)(_buffer[2] | FlagAa) : (byte)(_buffer[2] & ~FlagAa);
    }

    /// <summary>
    /// Clears RD. rbldnsd's NOTIMP for OPCODE ≠ 0 or AA/TC in the query sets the flags byte to QR alone; its NOTIMP for
    /// QTYPE ≥ 250 keeps RD. Call this for the first kind only.
    /// </summary>
    public void ClearRecursionDesired() => _buffer[2] = (byte)(_buffer[2] & ~FlagRd);

    /// <summary>
    /// Puts the query's header byte 3 back as sent (RA, Z, AD, CD and RCODE bits). rbldnsd answers version.bind before
    /// it resets that byte, so e.g. dig's AD bit comes back set in that reply.
    /// </summary>
    public void EchoRequestFlags2(in DnsQuery query) => _buffer[3] = query.Flags2;

    /// <summary>
    /// Says where the zone apex starts inside the question name (see <see cref="DnsQuery.GetSuffixOffset"/>). SOA and
    /// NS owners point there, and their names compress against it. Defaults to the whole question name.
    /// </summary>
    public void SetZoneApex(int apexOffset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(apexOffset, DnsQuery.NameOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(apexOffset, _questionEnd - 5);
        _apexOffset = apexOffset;
    }

    /// <summary>
    /// Removes every record, back to header + question, and clears the overflow flags (rbldnsd: apex SOA/NS that could
    /// not be answered, before REFUSED). RCODE and flags are left to the caller.
    /// </summary>
    public void ResetSections()
    {
        _position = _answerStart;
        _answerCount = _authorityCount = _additionalCount = 0;
        _buffer.Slice(6, 6).Clear();
        _answerOverflowed = _otherOverflowed = false;
    }

    /// <summary>Completes the reply without an OPT RR; returns its length.</summary>
    public int Finish()
    {
        Complete();
        return _position;
    }

    /// <summary>
    /// Completes the reply with an OPT RR (our EDNS behaviour): <paramref name="udpPayloadSize"/> (we use 1232),
    /// extended RCODE from <see cref="SetRcode"/>, version 0, all flags 0 (DO too: we never sign), no options.
    /// Skipped if it does not fit, which cannot happen when <see cref="Begin"/> reserved room.
    /// </summary>
    /// <returns>The reply length.</returns>
    public int FinishWithOpt(ushort udpPayloadSize) => FinishWithOpt(udpPayloadSize, default);

    /// <summary>
    /// Completes the reply with an OPT RR as <see cref="FinishWithOpt(ushort)"/> does, holding one COOKIE option
    /// (RFC 7873 §4) with <paramref name="cookie"/> as its data (client cookie then server cookie; none when empty).
    /// Skipped if it does not fit, which cannot happen when <see cref="Begin"/> reserved room for OPT and cookie.
    /// </summary>
    /// <returns>The reply length.</returns>
    public int FinishWithOpt(ushort udpPayloadSize, scoped ReadOnlySpan<byte> cookie)
    {
        int options = cookie.IsEmpty ? 0 : 4 + cookie.Length;
        if (_position + OptRecordSize + options <= _sizeLimit)
        {
            WriteOpt(udpPayloadSize, _extendedRcode);
            if (options != 0)
            {
                Span<byte> option = _buffer.Slice(_position, options);
                BinaryPrimitives.WriteUInt16BigEndian(option, QueryReader.CookieOptionCode);
                BinaryPrimitives.WriteUInt16BigEndian(option[2..], (ushort)cookie.Length);
                cookie.CopyTo(option[4..]);
                _position += options;
                BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_optOffset + 9)..], (ushort)options); // RDLENGTH
            }
        }

        Complete();
        return _position;
    }

    /// <summary>
    /// Completes the reply as rbldnsd does: an OPT RR (payload 2048, everything else 0) only when the reply is already
    /// longer than 512 bytes, which happens only when the query's EDNS was honoured and
    /// <see cref="RbldnsdEdns.AnswerLimit"/> left 11 bytes for it.
    /// </summary>
    /// <returns>The reply length.</returns>
    public int FinishRbldnsd()
    {
        if (_position > DefaultSizeLimit && _position + OptRecordSize <= _buffer.Length)
        {
            WriteOpt(RbldnsdEdns.MaxPacket, 0);
        }

        Complete();
        return _position;
    }

    private void WriteOpt(ushort udpPayloadSize, byte extendedRcode)
    {
        _optOffset = _position;
        Span<byte> opt = _buffer.Slice(_position, OptRecordSize);
        opt[0] = 0; // root owner
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], DnsType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], udpPayloadSize);
        opt[5] = extendedRcode;
        opt[6] = 0; // version
        opt.Slice(7, 4).Clear(); // DO + Z flags, RDLENGTH
        _position += OptRecordSize;
        SetCount(10, ++_additionalCount);
    }

    // The one place TC is set (STYLE 5); the caller chose SetTruncated only for UDP.
    private void Complete()
    {
        if (_policy == OverflowPolicy.SetTruncated && _answerOverflowed)
        {
            _buffer[2] |= FlagTc;
        }
    }

    private readonly void SetCount(int offset, int count) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], (ushort)count);

    private void AnswerDidNotFit(bool rbldnsdClearsAa)
    {
        _answerOverflowed = true;
        if (rbldnsdClearsAa && _policy == OverflowPolicy.ClearAuthoritative)
        {
            SetAuthoritative(false);
        }
    }

    private readonly void EnsureOpen(int laterSectionsCount)
    {
        if (laterSectionsCount != 0)
        {
            ThrowSectionOrder();
        }
    }

    [DoesNotReturn]
    private static void ThrowSectionOrder() =>
        throw new InvalidOperationException("Records must be added in section order: ANSWER, AUTHORITY, ADDITIONAL.");
}
