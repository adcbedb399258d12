using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace DnsblServer.TestSupport;

/// <summary>
/// Sends raw UDP datagrams to a DNS server and returns the first datagram that comes back, or null when
/// nothing arrives within <see cref="Timeout"/>. Every call uses a fresh socket, so a late reply to an
/// earlier query can never be mistaken for the answer to a later one. Thread-safe.
/// </summary>
public sealed class RawDnsClient
{
    /// <summary>Default time to wait for a reply.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>Client for 127.0.0.1:<paramref name="port"/>.</summary>
    public RawDnsClient(int port, TimeSpan? timeout = null)
        : this(new IPEndPoint(IPAddress.Loopback, port), timeout)
    {
    }

    /// <summary>Client for any UDP endpoint.</summary>
    public RawDnsClient(IPEndPoint server, TimeSpan? timeout = null)
    {
        Server = server;
        Timeout = timeout ?? DefaultTimeout;
    }

    /// <summary>The server queried.</summary>
    public IPEndPoint Server { get; }

    /// <summary>How long to wait for a reply before returning null.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Sends <paramref name="packet"/> as one datagram and returns the reply bytes, or null on timeout
    /// (also when the port is closed: ICMP "port unreachable" counts as no reply).
    /// </summary>
    public byte[]? Send(ReadOnlySpan<byte> packet)
    {
        using var socket = new Socket(Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(Server);
        socket.ReceiveTimeout = Math.Max(1, (int)Timeout.TotalMilliseconds);
        socket.Send(packet);
        var buffer = new byte[65535];
        try
        {
            var length = socket.Receive(buffer);
            return buffer.AsSpan(0, length).ToArray();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return null;
        }
    }

    /// <summary>Asynchronous <see cref="Send"/>.</summary>
    public async Task<byte[]?> SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(Server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(packet, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[65535];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return buffer.AsSpan(0, length).ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return null;
        }
    }

    /// <summary>Builds a query with <see cref="DnsPacket.Query(string, ushort, ushort, ushort, ushort, Edns?)"/> and sends it.</summary>
    public byte[]? Query(string name, ushort type, ushort @class = DnsPacket.ClassIn, Edns? edns = null, int flags = DnsPacket.FlagRd, ushort id = DnsPacket.DefaultId) =>
        Send(DnsPacket.Query(name, type, @class, id, flags, edns));

    /// <summary>Builds a query using ARSoft's enums and sends it.</summary>
    public byte[]? Query(string name, RecordType type, RecordClass @class = RecordClass.INet, Edns? edns = null) =>
        Query(name, (ushort)type, (ushort)@class, edns);

    /// <summary>Sends a query and renders the reply (or its absence) as an <see cref="AnswerSummary"/>.</summary>
    public AnswerSummary Summarize(string name, RecordType type, RecordClass @class = RecordClass.INet, Edns? edns = null, SummaryOptions? options = null) =>
        AnswerSummary.From(Query(name, type, @class, edns), options);

    /// <summary>Sends raw bytes and renders the reply (or its absence) as an <see cref="AnswerSummary"/>.</summary>
    public AnswerSummary Summarize(ReadOnlySpan<byte> packet, SummaryOptions? options = null) =>
        AnswerSummary.From(Send(packet), options);

    /// <summary>Decodes a reply with ARSoft (independent of our own wire code). Throws on malformed input.</summary>
    public static DnsMessage Parse(byte[] response) => DnsMessage.Parse(new ArraySegment<byte>(response));
}
