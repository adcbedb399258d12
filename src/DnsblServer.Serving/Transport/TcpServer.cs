using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Transport.Internal;

namespace DnsblServer.Serving.Transport;

/// <summary>
/// Answers DNS over TCP (RFC 7766): one accept loop per endpoint; per connection, 2-byte
/// length framing, pipelined queries answered in order, an idle timeout, and a cap on
/// concurrent connections (connections over it are closed at once). Async on the thread
/// pool: TCP is the rare path, so it trades a little speed for simplicity.
/// </summary>
public sealed class TcpServer : IDisposable
{
    private const int ListenBacklog = 512;

    // Retry pause after a failed accept (e.g. EMFILE), so a persistent failure does not spin a core.
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private readonly IQueryProcessor _processor;
    private readonly TransportOptions _options;
    private readonly TcpCounters _counters = new();
    private readonly ConcurrentDictionary<TcpConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Socket[] _listeners = [];
    private Task[] _acceptLoops = [];
    private IPEndPoint[] _localEndpoints = [];
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
            catch (Exception)
            {
                // EMFILE, ENOBUFS, a connection reset before accept: count, pause, keep listening.
                _counters.Error();
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

            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        if (!_counters.TryOpen(_options.MaxTcpConnections))
        {
            // Over the cap: close at once rather than queue (RFC 7766 6.2.2 leaves the policy to us).
            client.Dispose();
            return;
        }

        var connection = new TcpConnection(client, _processor, _counters, _options.TcpIdleTimeout);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = started.Task;
        _ = RunAsync(connection, started);
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
            _counters.Closed();
            done.TrySetResult();
        }
    }
}
