using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>Creates and binds the listening sockets, with the options each transport needs.</summary>
internal static class SocketFactory
{
    // <asm-generic/socket.h>: SOL_SOCKET = 1, SO_REUSEPORT = 15 on x86, x64 and arm64 Linux.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>
    /// Whether each UDP loop can have its own socket on one port with the kernel balancing
    /// datagrams between them. Linux only: BSD and macOS accept SO_REUSEPORT but deliver each
    /// datagram to one socket without spreading, and Windows has no equivalent.
    /// </summary>
    public static bool CanSpreadUdp => OperatingSystem.IsLinux();

    /// <summary>A bound UDP socket; with <paramref name="reusePort"/> siblings may bind the same port.</summary>
    /// <param name="endpoint">Where to bind.</param>
    /// <param name="reusePort">Set SO_REUSEPORT so this process's other loops can join the port.</param>
    /// <param name="receiveBufferBytes">SO_RCVBUF.</param>
    /// <param name="dualStack">For <c>::</c>: IPv4 clients too.</param>
    /// <param name="firstOfGroup">
    /// This socket starts the port's group: fail with "address in use" when anything else holds the port. SO_REUSEPORT
    /// alone would let this process join another process's sockets (a second instance with the same uid), and the
    /// kernel would then spread queries between two servers with different data; rbldnsd refuses to start instead.
    /// </param>
    public static Socket BindUdp(IPEndPoint endpoint, bool reusePort, int receiveBufferBytes, bool dualStack = false, bool firstOfGroup = false)
    {
        if (reusePort && firstOfGroup && endpoint.Port != 0)
            EnsureUnusedUdp(endpoint, dualStack);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            SetDualStack(socket, dualStack);
            if (reusePort)
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.ReceiveBufferSize = receiveBufferBytes;
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // A probe without SO_REUSEPORT cannot share the port with anyone: binding it fails with EADDRINUSE while another
    // socket (this process's or not) holds the port, and closing it leaves the port free for the group. A process
    // starting in the microseconds between probe and bind can still join; two starts at once are not guarded.
    private static void EnsureUnusedUdp(IPEndPoint endpoint, bool dualStack)
    {
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        SetDualStack(probe, dualStack);
        probe.Bind(endpoint);
    }

    /// <summary>A bound, listening TCP socket.</summary>
    public static Socket ListenTcp(IPEndPoint endpoint, int backlog, bool dualStack = false)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            SetDualStack(socket, dualStack);
            // Lets a restarted server rebind while old connections sit in TIME_WAIT. Not on
            // Windows, where SO_REUSEADDR would let another process steal the port.
            if (!OperatingSystem.IsWindows())
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The port the kernel chose (or the one given).</summary>
    public static IPEndPoint LocalEndpoint(Socket socket) => (IPEndPoint)socket.LocalEndPoint!;

    /// <summary>
    /// True when <paramref name="endpoint"/> is the IPv6 wildcard (<c>::</c>) and no IPv4 wildcard shares
    /// its port in <paramref name="all"/>: rbldnsd's <c>-b ::</c> alone is a dual-stack socket (Linux's
    /// default), which serves IPv4 clients as <c>::ffff:a.b.c.d</c>; next to <c>-b 0.0.0.0</c> on the same
    /// port it must be v6-only to bind at all (where rbldnsd fails with "Address already in use").
    /// </summary>
    public static bool IsDualStack(IPEndPoint endpoint, IEnumerable<IPEndPoint> all) =>
        endpoint.Address.Equals(IPAddress.IPv6Any) &&
        !all.Any(e => e.Address.Equals(IPAddress.Any) && (e.Port == endpoint.Port || e.Port == 0 || endpoint.Port == 0));

    private static void SetDualStack(Socket socket, bool dualStack)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
            socket.DualMode = dualStack;
    }
}
