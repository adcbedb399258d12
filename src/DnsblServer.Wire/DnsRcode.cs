namespace DnsblServer.Wire;

/// <summary>
/// Response codes. Values above 15 need an OPT RR: the low 4 bits go in the header, the rest in the OPT TTL (RFC 6891 §6.1.3).
/// </summary>
public enum DnsRcode : ushort
{
    /// <summary>No error (also NODATA).</summary>
    NoError = 0,

    /// <summary>The query was malformed.</summary>
    FormErr = 1,

    /// <summary>The zone's data is not loaded.</summary>
    ServFail = 2,

    /// <summary>The name does not exist (not listed).</summary>
    NxDomain = 3,

    /// <summary>Opcode, header bit or QTYPE not supported.</summary>
    NotImp = 4,

    /// <summary>Not authoritative for the name, or refused by policy.</summary>
    Refused = 5,

    /// <summary>Unsupported EDNS version (RFC 6891 §6.1.3): header rcode 0, OPT extended rcode 1.</summary>
    BadVers = 16,
}
