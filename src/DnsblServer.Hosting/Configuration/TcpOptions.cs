namespace DnsblServer.Hosting.Configuration;

/// <summary><c>Dnsbl:Tcp</c>: DNS over TCP (RFC 7766), which rbldnsd does not have.</summary>
public sealed class TcpOptions
{
    /// <summary>Whether a TCP listener is opened beside each UDP endpoint.</summary>
    /// <remarks>Defaults to <c>true</c>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>Idle connection timeout, rbldnsd time syntax (<c>10</c>, <c>10s</c>, <c>2m</c>); must be above 0.</summary>
    /// <remarks>Defaults to <c>10s</c>.</remarks>
    public string IdleTimeout { get; set; } = "10s";

    /// <summary>Maximum simultaneous TCP connections.</summary>
    /// <remarks>Defaults to 1024.</remarks>
    public int MaxConnections { get; set; } = 1024;
}
