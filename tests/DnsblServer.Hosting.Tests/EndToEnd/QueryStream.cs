using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// A steady stream of UDP queries, one every <see cref="Interval"/> from one loopback source, each for a
/// distinct address under <c>tag.10.bl.example</c> (so no cache answers it), with the answers collected by
/// id on a second thread. A query is lost when no NOERROR or NXDOMAIN answer comes within a second.
/// </summary>
internal sealed class QueryStream
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(4);
    private static readonly TimeSpan Late = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _tag;
    private readonly List<TimeSpan> _sent = [];
    private readonly TimeSpan?[] _answered = new TimeSpan?[ushort.MaxValue + 1];
    private readonly Thread _receiver;
    private volatile bool _done;

    public QueryStream(int port, IPAddress from, int tag = 200)
    {
        _tag = tag;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        _socket.Bind(new IPEndPoint(from, 0));
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _receiver = new Thread(Receive) { IsBackground = true };
        _receiver.Start();
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Sends for <paramref name="duration"/>, one query per <see cref="Interval"/>.</summary>
    public void Run(TimeSpan duration)
    {
        var end = _clock.Elapsed + duration;
        var next = _clock.Elapsed;
        while (_clock.Elapsed < end && _sent.Count <= ushort.MaxValue)
        {
            int i = _sent.Count;
            string name = $"{i & 0xFF}.{i >> 8}.{_tag}.10.bl.example";
            _sent.Add(_clock.Elapsed);
            _socket.Send(DnsPacket.Query(name, 1, id: (ushort)i));
            next += Interval;
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        }
    }

    /// <summary>Waits for the last answers, stops, and sums up.</summary>
    public StreamResult Finish()
    {
        Thread.Sleep(Late + TimeSpan.FromMilliseconds(200));
        _done = true;
        _receiver.Join();
        _socket.Dispose();
        var lost = new List<TimeSpan>();
        for (int i = 0; i < _sent.Count; i++)
        {
            if (_answered[i] is not { } at || at - _sent[i] > Late) lost.Add(_sent[i]);
        }
        var duration = _sent.Count > 1 ? _sent[^1] - _sent[0] : TimeSpan.Zero;
        return new StreamResult(_sent.Count, lost, duration.TotalSeconds > 0 ? _sent.Count / duration.TotalSeconds : 0);
    }

    private void Receive()
    {
        var buffer = new byte[4096];
        while (!_done)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                continue;   // the 200 ms receive timeout: look at _done again
            }
            if (n < 12) continue;
            int rcode = buffer[3] & 0x0F;
            if (rcode is 0 or 3) _answered[BinaryPrimitives.ReadUInt16BigEndian(buffer)] ??= _clock.Elapsed;
        }
    }
}

/// <summary>What a <see cref="QueryStream"/> saw: queries sent, the send times of those lost, the rate.</summary>
internal sealed record StreamResult(int Sent, IReadOnlyList<TimeSpan> LostAt, double Rate)
{
    public int Lost => LostAt.Count;

    public int Answered => Sent - Lost;

    public TimeSpan? FirstLost => LostAt.Count > 0 ? LostAt[0] : null;

    public TimeSpan? LastLost => LostAt.Count > 0 ? LostAt[^1] : null;

    /// <summary>From the first lost query's sending to the last one's: how long clients saw failures.</summary>
    public TimeSpan Window => LostAt.Count > 0 ? LostAt[^1] - LostAt[0] : TimeSpan.Zero;

    public int LostAfter(TimeSpan time) => LostAt.Count(t => t > time);
}
