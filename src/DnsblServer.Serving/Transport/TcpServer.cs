using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Transport.Internal;

namespace DnsblServer.Serving.Transport;

/// <summary>
/// Answers DNS over TCP (RFC 7766): one accept loop per endpoint; per connection, 2-byte
/// length framing, pipelined queries answered in order, an idle timeout between queries and a
/// deadline for each whole query. Concurrent connections are capped, the cap lowered to what the
/// descriptor limit leaves room for; at the cap a newcomer closes the connection that has waited
/// on its client longest (NSD and Unbound also shed idle TCP connections when slots run short).
/// Failed accepts (EMFILE...) pause the loop instead of ending it. Async on the thread pool:
/// TCP is the rare path, so it trades a little speed for simplicity.
/// </summary>
public sealed class TcpServer : IDisposable
{
    private const int ListenBacklog = 512;

    // Retry pause after a failed accept (e.g. EMFILE): a persistent failure does not spin a core,
    // and 100 ms is short next to a client's 1-2 s TCP retry. NSD pauses accepts 2 s on EMFILE.
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    // A flood: at least this many connections open at once. When it is over (none open), the
    // pools are emptied and the heap compacted, so its memory goes back to the system.
    private const int FloodConnections = 64;

    private readonly IQueryProcessor _processor;
    private readonly TransportOptions _options;
    private readonly TcpCounters _counters = new();
    private readonly TcpBuffers _buffers = new();
    private readonly ConcurrentDictionary<TcpConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Socket[] _listeners = [];
    private Task[] _acceptLoops = [];
    private IPEndPoint[] _localEndpoints = [];
    private int _maxConnections;
    private Proxy.ProxyTrust _trust = Proxy.ProxyTrust.From(null);
    private int _peak;
    private bool _started;
    private bool _stopped;

    /// <summary>Creates a server; nothing is bound until <see cref="Start()"/>.</summary>
    public TcpServer(IQueryProcessor processor, TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(options);
        _processor = processor;
        _options = options;
    }

    /// <summary>The bound endpoints, with ephemeral ports resolved. Empty before <see cref="Start()"/>.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => _localEndpoints;

    /// <summary>
    /// The connection cap in force: <see cref="TransportOptions.MaxTcpConnections"/>, lowered at
    /// <see cref="Start()"/> to what the descriptor limit (RLIMIT_NOFILE) leaves room for.
    /// </summary>
    public int MaxConnections => _maxConnections;

    /// <summary>The soft descriptor limit read at <see cref="Start()"/>, or <see langword="null"/> when there is none.</summary>
    public long? DescriptorLimit { get; private set; }

    /// <summary>
    /// Called with one line when accepts start failing (once per burst) and when they recover.
    /// Set before <see cref="Start()"/>; Serving has no logger of its own.
    /// </summary>
    public Action<string>? Warning { get; set; }

    /// <summary>Validates the options, listens on <see cref="TransportOptions.Endpoints"/> and starts accepting.</summary>
    public void Start() => Start(_options.Endpoints);

    /// <summary>
    /// Listens on <paramref name="endpoints"/> instead of the configured ones, so
    /// <see cref="TransportServer"/> can put TCP on the ports UDP resolved from port 0.
    /// </summary>
    internal void Start(IReadOnlyList<IPEndPoint> endpoints)
    {
        _options.Validate();
        lock (_gate)
        {
            if (_started)
                throw new InvalidOperationException("TcpServer has already been started.");
            _started = true;

            var listeners = new Socket[endpoints.Count];
            try
            {
                for (int i = 0; i < listeners.Length; i++)
                {
                    // decided on the configured endpoint, as UDP does, before port 0 was resolved
                    var configured = endpoints.Count == _options.Endpoints.Count ? _options.Endpoints[i] : endpoints[i];
                    listeners[i] = Listen(endpoints[i], SocketFactory.IsDualStack(configured, _options.Endpoints));
                }
            }
            catch
            {
                foreach (var listener in listeners)
                    listener?.Dispose();
                throw;
            }

            // Counted after UDP (TransportServer binds it first) and the listeners are open.
            DescriptorLimit = Internal.DescriptorLimit.Soft();
            _maxConnections = Math.Min(_options.MaxTcpConnections, DescriptorBudget.TcpConnections(DescriptorLimit, Internal.DescriptorLimit.InUse()));
            _trust = Proxy.ProxyTrust.From(_options.TrustedProxies);
            _listeners = listeners;
            _localEndpoints = [.. listeners.Select(SocketFactory.LocalEndpoint)];
            _acceptLoops = [.. listeners.Select(AcceptLoopAsync)];
        }
    }

    /// <summary>
    /// Stops accepting, closes every open connection and waits (briefly) for them to end.
    /// Queries in flight are not answered. Safe to call twice.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_started || _stopped)
                return;
            _stopped = true;
        }

        _stopping.Cancel();
        foreach (var listener in _listeners)
            listener.Dispose();
        Task.WaitAll(_acceptLoops, StopWait);

        // The accept loops have ended, so no connection can be added after this snapshot.
        foreach (var connection in _connections.Keys)
            connection.Abort();
        Task.WaitAll([.. _connections.Values], StopWait);
    }

    /// <summary>Pooled buffers rented by connections now (for tests: idle connections hold none).</summary>
    internal int BuffersRented => _buffers.Small.Rented + _buffers.Large.Rented;

    /// <summary>The TCP counters; <see cref="TransportCounters.TcpConnectionsOpen"/> is current, the rest are totals.</summary>
    public TransportCounters Snapshot() => _counters.Snapshot();

    /// <summary>Same as <see cref="Stop"/>.</summary>
    public void Dispose() => Stop();

    private static Socket Listen(IPEndPoint endpoint, bool dualStack)
    {
        try
        {
            return SocketFactory.ListenTcp(endpoint, ListenBacklog, dualStack);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Cannot listen on TCP {endpoint}: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        CancellationToken stopping = _stopping.Token;
        long failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // EMFILE, ENFILE, ENOBUFS, a connection reset before accept: count, pause, keep
                // listening; the kernel keeps new connections in the backlog meanwhile.
                _counters.AcceptError();
                if (failures++ == 0)
                    Warn($"TCP accept on {SocketFactory.LocalEndpoint(listener)} failed: {Describe(e)}; retrying every {AcceptRetryDelay.TotalMilliseconds:F0} ms");
                try
                {
                    await Task.Delay(AcceptRetryDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (failures > 0)
            {
                Warn($"TCP accept on {SocketFactory.LocalEndpoint(listener)} works again after {failures} failure(s)");
                failures = 0;
            }

            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        if (!_counters.TryOpen(_maxConnections))
        {
            // At the cap: close the connection that has waited on its client longest, so a
            // slowloris or idle crowd cannot keep a new client out; the newcomer takes its slot.
            if (!EvictLongestWaiting())
            {
                // None could be closed (all busy answering): close the newcomer at once (RFC 7766 6.2.2 leaves the policy to us).
                _counters.Rejected();
                client.Dispose();
                return;
            }
        }

        NotePeak();
        var connection = new TcpConnection(client, _processor, _counters, _buffers, _options.TcpIdleTimeout, _options.TcpQueryTimeout, _trust);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = started.Task;
        _ = RunAsync(connection, started);
    }

    /// <summary>Closes the open connection that has waited on its client longest and hands its slot on; false when none could be closed.</summary>
    private bool EvictLongestWaiting()
    {
        // O(open connections), only at the cap: 1,000 entries scan in microseconds. Enumerating the
        // dictionary itself takes no lock and copies nothing (its Keys property does both).
        TcpConnection? oldest = null;
        long since = long.MaxValue;
        foreach (var (connection, _) in _connections)
        {
            long waiting = connection.WaitingSince;
            if (waiting < since && !connection.IsClosed)   // one evicted a moment ago may still be listed
            {
                since = waiting;
                oldest = connection;
            }
        }

        if (oldest is null || !oldest.TryEvict())
            return false;
        _counters.Evicted();
        return true;
    }

    private void NotePeak()
    {
        int open = (int)_counters.Open;
        int peak = Volatile.Read(ref _peak);
        while (open > peak && Interlocked.CompareExchange(ref _peak, open, peak) is var seen && seen != peak)
            peak = seen;
    }

    private async Task RunAsync(TcpConnection connection, TaskCompletionSource done)
    {
        try
        {
            // Off the accept loop: a client that sends its query with the SYN-ACK would otherwise be served inline.
            await Task.Yield();
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            if (!connection.WasEvicted)
                _counters.Closed();   // an evicted connection's slot went to the newcomer
            done.TrySetResult();
            if (_counters.Open == 0 && Volatile.Read(ref _peak) >= FloodConnections && Interlocked.Exchange(ref _peak, 0) >= FloodConnections)
                AfterFlood();
        }
    }

    /// <summary>
    /// Gives a flood's memory back: empties the pools and runs one compacting, decommitting
    /// collection (1,000 connections answered once each: RSS 46 MB before, 50 during, 48 a second
    /// after; the earlier build stayed at 59). The live heap is small, so the pause is milliseconds.
    /// </summary>
    private void AfterFlood()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _buffers.Trim();
        ThreadPool.UnsafeQueueUserWorkItem(
            static _ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true), null);
    }

    private void Warn(string line)
    {
        try
        {
            Warning?.Invoke(line);
        }
        catch (Exception)
        {
            // A failing logger must not end the accept loop.
        }
    }

    private static string Describe(Exception e) =>
        e is SocketException s ? $"{s.Message} ({s.SocketErrorCode})" : $"{e.GetType().Name}: {e.Message}";
}
