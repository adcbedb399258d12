using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Transport.Internal;

namespace DnsblServer.Serving.Transport;

/// <summary>
/// Answers DNS over UDP: for each endpoint, <see cref="TransportOptions.UdpLoopsPerEndpoint"/>
/// receive loops, each a dedicated thread with its own SO_REUSEPORT socket (Linux), pinned
/// buffers and no allocation per packet. A bad packet or a processor exception is counted and
/// the loop goes on.
/// </summary>
public sealed class UdpServer : IDisposable
{
    // Loops end within microseconds of their socket closing; this bounds a platform that does not wake them.
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private readonly IQueryProcessor _processor;
    private readonly TransportOptions _options;
    private readonly Lock _gate = new();
    private UdpLoop[] _loops = [];
    private Socket[] _sockets = [];
    private IPEndPoint[] _localEndpoints = [];
    private bool _started;
    private bool _stopped;

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public UdpServer(IQueryProcessor processor, TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(options);
        _processor = processor;
        _options = options;
    }

    /// <summary>The bound endpoints, in the order of <see cref="TransportOptions.Endpoints"/>, with ephemeral ports resolved. Empty before <see cref="Start"/>.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => _localEndpoints;

    internal IReadOnlyList<UdpLoop> Loops => _loops;

    /// <summary>
    /// Validates the options, binds every socket and starts the loops. If any bind fails,
    /// everything bound so far is closed and the <see cref="SocketException"/> is rethrown
    /// inside an <see cref="InvalidOperationException"/> naming the endpoint.
    /// </summary>
    public void Start()
    {
        _options.Validate();
        lock (_gate)
        {
            if (_started)
                throw new InvalidOperationException("UdpServer has already been started.");
            _started = true;

            var sockets = new List<Socket>();
            var loops = new List<UdpLoop>();
            var endpoints = new IPEndPoint[_options.Endpoints.Count];
            try
            {
                for (int e = 0; e < endpoints.Length; e++)
                    endpoints[e] = BindEndpoint(_options.Endpoints[e], sockets, loops);
            }
            catch
            {
                foreach (var socket in sockets)
                    socket.Dispose();
                throw;
            }

            _sockets = [.. sockets];
            _loops = [.. loops];
            _localEndpoints = endpoints;
            foreach (var loop in _loops)
                loop.Start();
        }
    }

    /// <summary>Closes every socket and waits (briefly) for the loop threads to end. Safe to call twice.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_started || _stopped)
                return;
            _stopped = true;
        }

        foreach (var loop in _loops)
            loop.SignalStop();
        foreach (var socket in _sockets)
            socket.Dispose();

        var deadline = DateTime.UtcNow + StopWait;
        foreach (var loop in _loops)
        {
            var left = deadline - DateTime.UtcNow;
            loop.Thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    /// <summary>Sums the per-loop counters. Lock-free; cheap enough for every scrape.</summary>
    public TransportCounters Snapshot()
    {
        long received = 0, answered = 0, dropped = 0, errors = 0, proxyInvalid = 0, proxyUntrusted = 0;
        foreach (var loop in _loops)
        {
            proxyInvalid += loop.ProxyInvalid;
            proxyUntrusted += loop.ProxyUntrusted;
            received += loop.Received;
            answered += loop.Answered;
            dropped += loop.Dropped;
            errors += loop.Errors;
        }

        return new TransportCounters
        {
            UdpReceived = received,
            UdpAnswered = answered,
            UdpDropped = dropped,
            UdpErrors = errors,
            UdpProxyInvalid = proxyInvalid,
            UdpProxyUntrusted = proxyUntrusted,
        };
    }

    /// <summary>Same as <see cref="Stop"/>.</summary>
    public void Dispose() => Stop();

    private IPEndPoint BindEndpoint(IPEndPoint requested, List<Socket> sockets, List<UdpLoop> loops)
    {
        int count = _options.UdpLoopsPerEndpoint;
        var trust = Proxy.ProxyTrust.From(_options.TrustedProxies);
        bool spread = SocketFactory.CanSpreadUdp;

        // The first socket settles the port (port 0 becomes an ephemeral port) and the rest join it.
        bool dualStack = SocketFactory.IsDualStack(requested, _options.Endpoints);
        Socket first = Bind(requested, spread, dualStack, firstOfGroup: true);
        sockets.Add(first);
        IPEndPoint bound = SocketFactory.LocalEndpoint(first);

        for (int i = 0; i < count; i++)
        {
            Socket socket = first;
            if (i > 0 && spread)
            {
                socket = Bind(bound, reusePort: true, dualStack);
                sockets.Add(socket);
            }

            loops.Add(new UdpLoop(socket, _processor, $"dnsbl-udp {bound} #{i}", trust) { BatchWaitMicroseconds = _options.UdpBatchWaitMicroseconds });
        }

        return bound;
    }

    private Socket Bind(IPEndPoint endpoint, bool reusePort, bool dualStack, bool firstOfGroup = false)
    {
        try
        {
            return SocketFactory.BindUdp(endpoint, reusePort, _options.SocketReceiveBufferBytes, dualStack, firstOfGroup);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Cannot bind UDP {endpoint}: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }
}
