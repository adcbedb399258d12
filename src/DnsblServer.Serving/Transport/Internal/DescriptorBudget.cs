namespace DnsblServer.Serving.Sockets.Internal;

/// <summary>
/// How many TCP connections the descriptor limit leaves room for. Every connection is one
/// descriptor; running out of them is not an error the process survives everywhere (the runtime
/// opens files and creates handles lazily, and an earlier build exited with "Out of memory." at a
/// limit of 1,024 under 1,000 TCP connections), so TCP gets a share that can never reach the limit.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>
    /// Descriptors kept for everything that is not a DNS socket: the runtime (about 30 at start:
    /// epoll, eventfds, pipes, the assemblies it maps later, stdio), the files a reload opens (one
    /// dataset at a time, plus gzip and the journals the admin API keeps open, one per pushed
    /// dataset) and a margin for the UDP and TCP listeners' siblings and the systemd notify socket.
    /// </summary>
    public const int Reserved = 128;

    /// <summary>Never fewer than this many connections, so a tiny limit still serves TCP at all.</summary>
    public const int Floor = 8;

    /// <summary>
    /// cap = (soft limit - 128 reserved - UDP sockets - TCP listeners) / 2. The other half is for the
    /// HTTP listeners (metrics, admin), which cap their own connections from the same limit, and for
    /// files beyond the reserve. At 1,024: (1,024 - 128 - 2 - 1) / 2 = 446 with one endpoint and two
    /// UDP loops; at 256: 62; at the usual systemd limit of 524,288 the configured cap (1,024) wins.
    /// </summary>
    public static int TcpConnections(long? softLimit, int udpSockets, int tcpListeners)
    {
        if (softLimit is not { } soft)
            return int.MaxValue;
        long share = (soft - Reserved - udpSockets - tcpListeners) / 2;
        return (int)Math.Clamp(share, Floor, int.MaxValue);
    }
}
