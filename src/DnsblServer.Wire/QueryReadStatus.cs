namespace DnsblServer.Wire;

/// <summary>
/// Outcome of <see cref="QueryReader.Read"/>. Values from <see cref="DroppedTooShort"/> up mean "send no reply",
/// exactly where rbldnsd's <c>parsequery</c> returns 0; they are separate so the serving layer can count them.
/// </summary>
public enum QueryReadStatus : byte
{
    /// <summary>Header, question and every RR after it parsed; the query is answerable.</summary>
    Ok = 0,

    /// <summary>
    /// The header and question are valid (rbldnsd would answer), but the RRs after the question are malformed,
    /// the OPT RR is bad, or there is more than one OPT (RFC 6891 §6.1.1). <see cref="DnsQuery"/> is filled in,
    /// <see cref="DnsQuery.Edns"/> may be incomplete. Our behaviour: answer FORMERR.
    /// </summary>
    FormatError = 1,

    /// <summary>Shorter than header + one-byte name + QTYPE + QCLASS (17 bytes). No reply.</summary>
    DroppedTooShort = 16,

    /// <summary>QR=1: a response, not a query. No reply.</summary>
    DroppedResponse = 17,

    /// <summary>QDCOUNT is not 1. No reply.</summary>
    DroppedQuestionCount = 18,

    /// <summary>
    /// The question name has a label over 63 bytes (this includes compression pointers), is longer than 255 bytes,
    /// or runs past the end of the packet (leaving no room for QTYPE/QCLASS). No reply.
    /// </summary>
    DroppedBadName = 19,
}
