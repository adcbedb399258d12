namespace DnsblServer.Hosting.Configuration;

/// <summary>DNS over TCP (RFC 7766). rbldnsd has no TCP listener; this is an addition.</summary>
public sealed record TcpSettings
{
    /// <summary>Whether a TCP listener is opened beside each UDP endpoint.</summary>
    /// <remarks>Defaults to <c>true</c>.</remarks>
    public bool Enabled { get; init; } = true;

    /// <summary>How long an idle connection is kept open.</summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one whole query may take to arrive (first byte of the length prefix to the last byte).</summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum simultaneous TCP connections over all endpoints (lowered at start to fit the descriptor limit).</summary>
    /// <remarks>Defaults to 1024.</remarks>
    public int MaxConnections { get; init; } = 1024;
}
