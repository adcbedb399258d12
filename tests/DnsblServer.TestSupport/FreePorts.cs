using System.Net;
using System.Net.Sockets;

namespace DnsblServer.TestSupport;

/// <summary>Ports free right now on 127.0.0.1 (for servers started in a separate process, which need a number up front).</summary>
public static class FreePorts
{
    /// <summary>A TCP port (HTTP listeners).</summary>
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A UDP port (rbldnsd has no TCP).</summary>
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A port free for both UDP and TCP (a DNS server).</summary>
    public static int UdpAndTcp()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = Udp();
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }
}
