namespace DnsblServer.Hosting.Configuration;

/// <summary><c>Dnsbl:Tcp</c>: DNS over TCP (RFC 7766), which rbldnsd does not have.</summary>
public sealed class TcpOptions : IOptionsSection
{
    /// <summary>Whether a TCP listener is opened beside each UDP endpoint.</summary>
    /// <remarks>Defaults to <c>true</c>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>Idle connection timeout, rbldnsd time syntax (<c>10</c>, <c>10s</c>, <c>2m</c>); must be above 0.</summary>
    /// <remarks>Defaults to <c>10s</c>.</remarks>
    public string IdleTimeout { get; set; } = "10s";

    /// <summary>
    /// Deadline for one whole query, from the first byte of its length prefix to its last byte,
    /// rbldnsd time syntax; not restarted by each byte, so a trickled frame is cut.
    /// </summary>
    /// <remarks>Defaults to <c>5s</c>.</remarks>
    public string QueryTimeout { get; set; } = "5s";

    /// <summary>Maximum simultaneous TCP connections; lowered at start (with a warning) to what the descriptor limit leaves room for.</summary>
    /// <remarks>Defaults to 1024.</remarks>
    public int MaxConnections { get; set; } = 1024;
}
