using System.Buffers.Binary;
using System.Net.Sockets;
using DnsblServer.Serving.Transport.Proxy;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// One RFC 7766 connection: reads length-prefixed queries, answers each in arrival order
/// (pipelined queries included), and closes on idle timeout, query deadline, peer close, an
/// empty frame, a processor failure or eviction by the server.
/// Memory: between queries it holds no buffer at all (it waits with a zero-byte read, as Kestrel
/// does); a frame is read into a 4 KiB pooled buffer, which grows to a full 64 KiB frame only when
/// 4 KiB of that frame have arrived and the large-buffer budget allows; an answer is written into
/// a pooled full-size buffer and copied to a pooled buffer of its size to be sent, returned once sent.
/// From a trusted proxy the connection must start with a PROXY v2 header, read whole within the query
/// timeout, whose source is then the client of every query on it; from anyone else such a header closes it.
/// </summary>
internal sealed class TcpConnection
{
    private const int LengthPrefix = 2;

    // _closed: who closed the socket.
    private const int Open = 0;
    private const int Closed = 1;
    private const int Evicted = 2;

    private readonly Socket _socket;
    private readonly IQueryProcessor _processor;
    private readonly TcpCounters _counters;
    private readonly TcpBuffers _buffers;
    private readonly TimeSpan _idleTimeout;
    private readonly long _queryTimeoutMs;
    private readonly ProxyTrust _trust;
    private readonly CancellationTokenSource _timer = new();
    private readonly byte[] _clientAddress = new byte[16];
    private int _clientAddressLength;
    private byte[]? _receive;
    private byte[]? _response;
    private int _start;
    private int _end;
    private long _frameDeadline;
    private long _waitingSince = Environment.TickCount64;
    private bool _sending;
    private bool _refuseProxyHeader;
    private int _closed;

    public TcpConnection(Socket socket, IQueryProcessor processor, TcpCounters counters, TcpBuffers buffers, TimeSpan idleTimeout, TimeSpan queryTimeout, ProxyTrust? trust = null)
    {
        _trust = trust ?? ProxyTrust.From(null);
        _socket = socket;
        _processor = processor;
        _counters = counters;
        _buffers = buffers;
        _idleTimeout = idleTimeout;
        _queryTimeoutMs = (long)queryTimeout.TotalMilliseconds;
    }

    /// <summary>
    /// Since when (<see cref="Environment.TickCount64"/>) this connection has waited on its client:
    /// for the next query or the rest of a frame (since its last answer, or since it opened), or to
    /// read an answer. <see cref="long.MaxValue"/> while a query is being processed: never evicted then.
    /// </summary>
    public long WaitingSince => Volatile.Read(ref _waitingSince);

    /// <summary>Whether the socket is closed (the connection may still be finishing).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Whether <see cref="TryEvict"/> closed it; its slot then already belongs to the newcomer.</summary>
    public bool WasEvicted => Volatile.Read(ref _closed) == Evicted;

    /// <summary>Runs the connection to its end; never faults.</summary>
    public async Task RunAsync()
    {
        try
        {
            _socket.NoDelay = true;
            _clientAddressLength = ClientAddress.Write(_socket.RemoteEndPoint, _clientAddress);
            if (_trust.Enabled)
            {
                if (!_trust.Contains(_clientAddress.AsSpan(0, _clientAddressLength)))
                {
                    _refuseProxyHeader = true;
                }
                else if (!await ReadProxyHeaderAsync().ConfigureAwait(false))
                {
                    _counters.ProxyInvalid();
                    return;
                }
            }

            while (true)
            {
                int available = _end - _start;
                if (available >= LengthPrefix)
                {
                    if (_refuseProxyHeader && RefuseProxyHeader(available))
                        return;
                    int length = BinaryPrimitives.ReadUInt16BigEndian(_receive.AsSpan(_start));
                    if (length == 0)
                    {
                        // No DNS message is empty: the stream is not DNS, or framing is lost.
                        _counters.Error();
                        return;
                    }

                    if (available >= LengthPrefix + length)
                    {
                        Volatile.Write(ref _waitingSince, long.MaxValue);
                        int answer = Answer(_start + LengthPrefix, length);
                        _start += LengthPrefix + length;
                        // From here it waits on its client again (to read the answer, or for more),
                        // so a client that never reads is evictable like an idle one.
                        Volatile.Write(ref _waitingSince, Environment.TickCount64);
                        if (answer < 0)
                            return;
                        if (answer > 0)
                        {
                            // Inline, not a helper: an async helper that completes asynchronously
                            // allocates its state machine each time (72 bytes per query, measured).
                            // The idle timeout also covers a client that stops reading and lets the window fill.
                            _sending = true;
                            _timer.CancelAfter(_idleTimeout);
                            int total = LengthPrefix + answer;
                            for (int sent = 0; sent < total;)
                                sent += await _socket.SendAsync(_response.AsMemory(sent, total - sent), SocketFlags.None, _timer.Token).ConfigureAwait(false);
                            _sending = false;
                            ReleaseResponse();
                            _counters.Answered();
                        }

                        _frameDeadline = Environment.TickCount64 + _queryTimeoutMs;   // for a pipelined frame already begun
                        continue;
                    }

                    if (!MakeRoom(LengthPrefix + length))
                    {
                        _counters.Error();   // a large frame while the large-buffer budget is spent
                        return;
                    }
                }
                else if (available == 0)
                {
                    // Between queries: hold no buffer, wait for the first byte of the next frame.
                    ReleaseReceive();
                    _timer.CancelAfter(_idleTimeout);
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _timer.Token).ConfigureAwait(false);
                    _frameDeadline = Environment.TickCount64 + _queryTimeoutMs;
                    _receive = _buffers.Small.Rent();
                }
                else
                {
                    MakeRoom(LengthPrefix);
                }

                long left = _frameDeadline - Environment.TickCount64;
                if (left <= 0)
                {
                    _counters.DeadlineHit();
                    return;
                }

                _timer.CancelAfter((int)Math.Min(left, int.MaxValue));
                int read = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, _timer.Token).ConfigureAwait(false);
                if (read == 0)
                    return;   // the client closed, perhaps mid-frame; nothing to answer
                _end += read;
            }
        }
        catch (OperationCanceledException) when (_timer.IsCancellationRequested)
        {
            if (_sending || _end == _start)
                _counters.TimedOut();
            else
                _counters.DeadlineHit();
        }
        catch (SocketException)
        {
            // Reset by the peer, or aborted by Stop or eviction: an ordinary end.
        }
        catch (ObjectDisposedException)
        {
            // Aborted by Stop or eviction.
        }
        catch (Exception)
        {
            _counters.Error();
        }
        finally
        {
            Close();
            _timer.Dispose();
            ReleaseReceive();
            ReleaseResponse();
        }
    }

    /// <summary>
    /// Reads the PROXY v2 header a trusted proxy starts its connection with, within the query timeout:
    /// its source becomes the client; what follows it stays in the receive buffer as the first query's
    /// bytes. False when the header is invalid, cut by the peer or late. Once per connection, so its
    /// state machine is no per-query cost.
    /// </summary>
    private async Task<bool> ReadProxyHeaderAsync()
    {
        _frameDeadline = Environment.TickCount64 + _queryTimeoutMs;
        _receive = _buffers.Small.Rent();   // 4 KiB: room for the largest header accepted (528 bytes) and more
        try
        {
            while (true)
            {
                ProxyHeader header = ProxyHeader.Read(_receive.AsSpan(0, _end));
                if (header.Status == ProxyHeaderStatus.Proxy)
                {
                    header.Source(_receive.AsSpan(0, _end)).CopyTo(_clientAddress);
                    _clientAddressLength = header.SourceLength;
                }
                if (header.Status is ProxyHeaderStatus.Proxy or ProxyHeaderStatus.Local)
                {
                    _start = header.Length;
                    return true;
                }
                if (header.Status == ProxyHeaderStatus.Invalid)
                    return false;

                long left = _frameDeadline - Environment.TickCount64;
                if (left <= 0)
                    return false;
                _timer.CancelAfter((int)Math.Min(left, int.MaxValue));
                int read = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, _timer.Token).ConfigureAwait(false);
                if (read == 0)
                    return false;
                _end += read;
            }
        }
        catch (OperationCanceledException) when (_timer.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// On a connection from a peer that is not a trusted proxy, while it has sent no query yet: true (counted)
    /// when it starts with a PROXY v2 header. Decided on the first 12 bytes; a shorter start that could
    /// still be one waits (it reads as a 3,338-byte frame, so the loop reads on).
    /// </summary>
    private bool RefuseProxyHeader(int available)
    {
        ReadOnlySpan<byte> head = _receive.AsSpan(_start, Math.Min(available, ProxyHeader.Signature.Length));
        if (!head.SequenceEqual(ProxyHeader.Signature[..head.Length]))
        {
            _refuseProxyHeader = false;
            return false;
        }
        if (head.Length < ProxyHeader.Signature.Length)
            return false;
        _counters.ProxyUntrusted();
        return true;
    }

    /// <summary>Closes the socket, which ends a pending receive or send.</summary>
    public void Abort() => Close();

    /// <summary>
    /// Closes the socket for a newcomer at the cap; false when it was closed already. The descriptor
    /// is released at once (no syscall holds it: pending operations are only registered with epoll).
    /// </summary>
    public bool TryEvict()
    {
        if (Interlocked.CompareExchange(ref _closed, Evicted, Open) != Open)
            return false;
        _socket.Dispose();
        return true;
    }

    private void Close()
    {
        if (Interlocked.CompareExchange(ref _closed, Closed, Open) == Open)
            _socket.Dispose();
    }

    /// <summary>
    /// Processes one query and copies the answer, after its length prefix, into <see cref="_response"/>.
    /// Returns the answer length, 0 for no answer, or -1 to close the connection.
    /// </summary>
    private int Answer(int offset, int length)
    {
        _counters.Received();
        // Process is synchronous, so this full-size buffer goes back to the pool within microseconds
        // (a [ThreadStatic] one cost 64 KiB per thread-pool thread, and new threads keep coming).
        byte[] scratch = _buffers.Large.Rent();
        int answer;
        try
        {
            answer = _processor.Process(
                _receive.AsSpan(offset, length),
                scratch.AsSpan(LengthPrefix, TransportOptions.MaxTcpMessageBytes),
                TransportKind.Tcp,
                _clientAddress.AsSpan(0, _clientAddressLength));
        }
        catch (Exception)
        {
            // The client would wait forever for this answer; closing tells it to retry or give up.
            _buffers.Large.Return(scratch);
            _counters.Error();
            return -1;
        }

        if (answer <= 0 || answer > TransportOptions.MaxTcpMessageBytes)
            _buffers.Large.Return(scratch);
        if (answer <= 0)
        {
            // The processor chose silence (e.g. an ACL drop); pipelined clients match by ID, so go on.
            _counters.Dropped();
            return 0;
        }

        if (answer > TransportOptions.MaxTcpMessageBytes)
        {
            _counters.Error();
            return -1;
        }

        BinaryPrimitives.WriteUInt16BigEndian(scratch, (ushort)answer);
        if (LengthPrefix + answer > _buffers.Small.BufferBytes)
        {
            _response = scratch;   // a rare large answer is sent from the full-size buffer itself
            return answer;
        }

        // A slow reader then pins 4 KiB, not 64 KiB, while its answer waits to be sent.
        _response = _buffers.Small.Rent();
        Buffer.BlockCopy(scratch, 0, _response, 0, LengthPrefix + answer);
        _buffers.Large.Return(scratch);
        return answer;
    }

    /// <summary>
    /// Makes room to read more of a frame of <paramref name="frameBytes"/> starting at <see cref="_start"/>.
    /// Grows to a full-frame buffer only once the small one is full of this frame; false when the
    /// large-buffer budget is spent.
    /// </summary>
    private bool MakeRoom(int frameBytes)
    {
        byte[] receive = _receive!;
        if (_start + frameBytes <= receive.Length && _end < receive.Length)
            return true;

        int pending = _end - _start;
        if (frameBytes <= receive.Length || pending < receive.Length)
        {
            // Compacting is enough: the frame fits, or there is room to read more of it first.
            Buffer.BlockCopy(receive, _start, receive, 0, pending);
            _start = 0;
            _end = pending;
            return true;
        }

        if (!_buffers.Large.TryRent(_buffers.LargeReceiveLimit, out byte[] large))
            return false;
        Buffer.BlockCopy(receive, _start, large, 0, pending);
        _buffers.Small.Return(receive);
        _receive = large;
        _start = 0;
        _end = pending;
        return true;
    }

    private void ReleaseReceive()
    {
        if (_receive is { } receive)
        {
            _receive = null;
            (receive.Length == _buffers.Small.BufferBytes ? _buffers.Small : _buffers.Large).Return(receive);
        }

        _start = _end = 0;
    }

    private void ReleaseResponse()
    {
        if (_response is { } response)
        {
            _response = null;
            (response.Length == _buffers.Small.BufferBytes ? _buffers.Small : _buffers.Large).Return(response);
        }
    }
}
