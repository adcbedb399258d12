using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Serving.Sockets.Internal;

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
    public static Socket BindUdp(IPEndPoint endpoint, bool reusePort, int receiveBufferBytes)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            V6Only(socket);
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

    /// <summary>A bound, listening TCP socket.</summary>
    public static Socket ListenTcp(IPEndPoint endpoint, int backlog)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            V6Only(socket);
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

    // IPv6 sockets are v6-only so 0.0.0.0:53 and [::]:53 can be bound side by side, as rbldnsd does.
    private static void V6Only(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
            socket.DualMode = false;
    }
}
