namespace DnsblServer.Serving.Pipeline;

/// <summary>What a query's DNS COOKIE option (RFC 7873 §5.2) amounted to, for the steps after the answer.</summary>
public enum CookieStatus : byte
{
    /// <summary>No COOKIE option, or cookies are off.</summary>
    None,
    /// <summary>A client cookie alone (the client's first query to us, or a server cookie it dropped).</summary>
    ClientOnly,
    /// <summary>A client cookie with a server cookie we made for this client and address, not expired.</summary>
    Valid,
    /// <summary>A client cookie with a server cookie that is not ours, is for another address, or is too old or new.</summary>
    Invalid,
    /// <summary>An option of a length RFC 7873 forbids; answered FORMERR.</summary>
    Malformed,
}
