namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// How many TCP connections the descriptor limit leaves room for. Every connection is one
/// descriptor; running out of them is not an error the process survives everywhere (the runtime
/// keeps every assembly it loads open, loads more lazily, and an earlier build exited with
/// "Out of memory." at a limit of 1,024 under 1,000 TCP connections), so TCP gets a share that
/// cannot reach the limit.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>
    /// Descriptors kept beyond those open when TCP starts (about 140 then: 116 of them assembly
    /// files, which .NET keeps open, the rest epoll, eventfds, pipes, stdio, the UDP sockets and
    /// the TCP listeners): assemblies loaded later (the HTTP listeners' among them), the files a
    /// reload opens (one dataset at a time, plus gzip), the journals the admin API keeps open,
    /// systemd's notify socket.
    /// </summary>
    public const int Reserved = 128;

    /// <summary>Open descriptors assumed when they cannot be counted (no /proc): the figure above.</summary>
    public const int AssumedInUse = 140;

    /// <summary>Never fewer than this many connections, so a tiny limit still serves TCP at all.</summary>
    public const int Floor = 8;

    /// <summary>
    /// cap = (soft limit - descriptors open now - 128 reserved) / 2, at least 8. The other half is
    /// for the HTTP listeners (metrics, admin), which cap their own connections from the same limit,
    /// and for files beyond the reserve. With 140 open: at 1,024, (1,024 - 140 - 128) / 2 = 378;
    /// at 4,096, 1,914; at 256, the floor of 8; at systemd's usual 524,288 the configured cap wins.
    /// </summary>
    public static int TcpConnections(long? softLimit, int? inUse)
    {
        if (softLimit is not { } soft)
            return int.MaxValue;
        long share = (soft - (inUse ?? AssumedInUse) - Reserved) / 2;
        return (int)Math.Clamp(share, Floor, int.MaxValue);
    }
}
