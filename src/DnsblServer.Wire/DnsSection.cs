namespace DnsblServer.Wire;

/// <summary>
/// Message sections that <see cref="ResponseWriter"/> can add SOA and NS RRsets to.
/// </summary>
public enum DnsSection
{
    /// <summary>ANSWER: zone apex SOA/NS queries.</summary>
    Answer,

    /// <summary>AUTHORITY: SOA for negative answers, NS for positive ones.</summary>
    Authority,
}
