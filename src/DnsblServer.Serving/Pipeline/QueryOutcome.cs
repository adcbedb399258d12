namespace DnsblServer.Serving.Pipeline;

/// <summary>How a query was settled, for counters and the query log.</summary>
public enum QueryOutcome : byte
{
    /// <summary>Listed: records in ANSWER (or apex data).</summary>
    Listed,
    /// <summary>NXDOMAIN: not listed, excluded, or not an address.</summary>
    NxDomain,
    /// <summary>NXDOMAIN because the address is on an exempt allow-list, whatever the data says.</summary>
    Exempted,
    /// <summary>NOERROR with no records of the asked type.</summary>
    NoData,
    /// <summary>REFUSED: outside our zones, or refused by configuration.</summary>
    Refused,
    /// <summary>SERVFAIL: the zone's data is not loaded or expired.</summary>
    ServFail,
    /// <summary>NOTIMP: an opcode, header bit or meta type we do not serve.</summary>
    NotImplemented,
    /// <summary>FORMERR: a malformed message after a readable question.</summary>
    FormErr,
    /// <summary>BADVERS: an EDNS version we do not speak.</summary>
    BadVersion,
    /// <summary>version.bind and friends.</summary>
    Version,
    /// <summary>No answer sent: the packet could not be read.</summary>
    Dropped,
    /// <summary>No answer sent: an ACL says to ignore the client (<c>:ignore</c>, <c>:blackhole</c>).</summary>
    Ignored,
    /// <summary>REFUSED because an ACL says <c>:refuse</c> for the client.</summary>
    AclRefused,
    /// <summary>A keyed zone's code answer: the key is unknown or missing, or past its daily quota (NOERROR, the code's A and TXT).</summary>
    KeyRefused,
}
