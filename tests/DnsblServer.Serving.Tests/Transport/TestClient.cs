using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>Client-side helpers: build queries, frame them for TCP, read answers with bounded waits.</summary>
internal static class TestClient
{
    public const int ClientTimeoutMs = 5000;

    public static readonly TheoryData<string> Loopbacks = new() { "127.0.0.1", "::1" };

    /// <summary>A DNS query for <paramref name="name"/> A IN with the given ID.</summary>
    public static byte[] Query(ushort id, string name = "2.0.0.127.zen.example", int padTo = 0)
    {
        var bytes = new List<byte>();
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, 0, 1, 0, 1]);
        while (bytes.Count < padTo)
            bytes.Add(0);   // trailing garbage; the echo processor does not care
        return [.. bytes];
    }

    public static byte[] Frame(params byte[][] messages)
    {
        var frame = new List<byte>();
        foreach (var message in messages)
        {
            frame.Add((byte)(message.Length >> 8));
            frame.Add((byte)message.Length);
            frame.AddRange(message);
        }

        return [.. frame];
    }

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static bool IsResponse(ReadOnlySpan<byte> message) => (message[2] & 0x80) != 0;

    public static IPEndPoint AnyPort(string address) => new(IPAddress.Parse(address), 0);

    public static Socket UdpClient(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = ClientTimeoutMs };
        socket.Connect(server);
        return socket;
    }

    /// <summary>Sends one query and returns the answer; throws SocketException (TimedOut) when none comes.</summary>
    public static byte[] UdpRoundTrip(Socket client, byte[] query)
    {
        client.Send(query);
        var buffer = new byte[4096];
        int n = client.Receive(buffer);
        return buffer[..n];
    }

    public static Socket TcpClient(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = ClientTimeoutMs,
            SendTimeout = ClientTimeoutMs,
            NoDelay = true,
        };
        socket.Connect(server);
        return socket;
    }

    /// <summary>Reads one length-prefixed answer; null when the server closed the connection first.</summary>
    public static byte[]? ReadFrame(Socket socket)
    {
        var prefix = new byte[2];
        if (!ReadExactly(socket, prefix))
            return null;
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return ReadExactly(socket, message) ? message : null;
    }

    /// <summary>True when the server closes (FIN or RST) within the client timeout; false on timeout or data.</summary>
    public static bool ServerCloses(Socket socket)
    {
        try
        {
            return socket.Receive(new byte[1]) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="condition"/> for up to 5 s; counters settle just after the socket work they count.</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(10);
        }

        return true;
    }

    private static bool ReadExactly(Socket socket, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            if (n == 0)
                return false;
            read += n;
        }

        return true;
    }
}
