using DnsblServer.Wire;

namespace DnsblServer.Serving.Pipeline;

/// <summary>
/// What the answer stage decided for one query, handed to every step after it (counters, query
/// log, and the rate limiter to come) so that none of them reads the packet again. A ref struct:
/// the client address is the caller's span, never copied, and nothing here is kept past the query.
/// </summary>
/// <remarks>
/// After Knot's <c>knotdata_t</c> state handed to <c>KNOTD_STAGE_END</c> hooks; unlike Knot, the
/// facts are plain values fixed by the resolver, and a step changes the answer only through
/// <see cref="WithResponse"/> (see <see cref="IAfterAnswerStep"/>).
/// </remarks>
public readonly ref struct AnswerFacts
{
    /// <summary>Collects the facts of one answered (or unanswered) query.</summary>
    public AnswerFacts(QueryOutcome outcome, int zoneIndex, ushort qtype, QueryReadStatus readStatus, TransportKind transport,
        int requestBytes, int responseBytes, int questionEnd, bool truncated, ReadOnlySpan<byte> clientAddress,
        CookieStatus cookie = CookieStatus.None, int optOffset = 0, KeyResult key = KeyResult.None)
    {
        Outcome = outcome;
        ZoneIndex = zoneIndex;
        QType = qtype;
        ReadStatus = readStatus;
        Transport = transport;
        RequestBytes = requestBytes;
        ResponseBytes = responseBytes;
        QuestionEnd = questionEnd;
        Truncated = truncated;
        ClientAddress = clientAddress;
        Cookie = cookie;
        OptOffset = optOffset;
        Key = key;
    }

    /// <summary>How the query was settled.</summary>
    public QueryOutcome Outcome { get; }

    /// <summary>The zone's index in the served zone set; -1 when the query reached none.</summary>
    public int ZoneIndex { get; }

    /// <summary>The QTYPE asked; 0 when the question was not read (an ignored client, a packet too short).</summary>
    public ushort QType { get; }

    /// <summary>What the reader made of the packet; says why it was dropped when <see cref="Outcome"/> is <see cref="QueryOutcome.Dropped"/>.</summary>
    public QueryReadStatus ReadStatus { get; }

    /// <summary>How the query arrived.</summary>
    public TransportKind Transport { get; }

    /// <summary>Length of the query as received (DNS message; TCP length prefix not included).</summary>
    public int RequestBytes { get; }

    /// <summary>Length of the response to send; 0 = nothing is sent.</summary>
    public int ResponseBytes { get; }

    /// <summary>Offset in the response where the question ends (header and question, copied from the query); 0 when nothing is sent.</summary>
    public int QuestionEnd { get; }

    /// <summary>The response has TC=1 (UDP only: the answer did not fit).</summary>
    public bool Truncated { get; }

    /// <summary>The client's address in network order: 4 or 16 bytes, empty when unknown.</summary>
    public ReadOnlySpan<byte> ClientAddress { get; }

    /// <summary>What the query's DNS COOKIE option (RFC 7873) said; <see cref="CookieStatus.None"/> without one.</summary>
    public CookieStatus Cookie { get; }

    /// <summary>
    /// Offset in the response of its OPT RR, which is always the last record we write (with any
    /// COOKIE option inside it); 0 when the response has none. A step that shortens the response
    /// to header and question moves these bytes to <see cref="QuestionEnd"/> to keep them.
    /// </summary>
    public int OptOffset { get; }

    /// <summary>What a keyed zone made of the query's access key; <see cref="KeyResult.None"/> for other queries.</summary>
    public KeyResult Key { get; }

    /// <summary>True when a response is sent.</summary>
    public bool Answered => ResponseBytes > 0;

    /// <summary>
    /// The same facts with a response changed by a step: shortened to <paramref name="responseBytes"/>
    /// (a slip: header and question with TC=1, <paramref name="truncated"/> true, the OPT RR moved to
    /// <paramref name="optOffset"/>) or dropped (0).
    /// </summary>
    public AnswerFacts WithResponse(int responseBytes, bool truncated, int optOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(responseBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(responseBytes, ResponseBytes);
        return new(Outcome, ZoneIndex, QType, ReadStatus, Transport, RequestBytes, responseBytes,
            responseBytes == 0 ? 0 : Math.Min(QuestionEnd, responseBytes), truncated, ClientAddress, Cookie,
            responseBytes == 0 ? 0 : optOffset, Key);
    }
}
