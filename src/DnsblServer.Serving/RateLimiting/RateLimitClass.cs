namespace DnsblServer.Serving.RateLimiting;

/// <summary>The response classes the limiter keeps apart (NSD's <c>rrl_type</c>, BIND's per-type rates).</summary>
public enum RateLimitClass : byte
{
    /// <summary>Records in ANSWER (a listing, version.bind); keyed on the question.</summary>
    Positive = 1,
    /// <summary>NOERROR without records; keyed on the question.</summary>
    NoData = 2,
    /// <summary>NXDOMAIN; keyed on the question name, not the zone (see <see cref="ResponseRateLimiter"/>).</summary>
    NxDomain = 3,
    /// <summary>REFUSED, FORMERR, SERVFAIL, NOTIMP, BADVERS; keyed on the client prefix alone.</summary>
    Error = 4,
}
