using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// One RFC 7766 connection: reads length-prefixed queries, answers each in arrival order
/// (pipelined queries included), and closes on idle timeout, peer close, an empty frame or a
/// processor failure. Buffers are rented once per connection and reused for every query.
/// </summary>
internal sealed class TcpConnection
{
    private const int LengthPrefix = 2;

    // Most queries are under 100 bytes; the buffer grows to a full frame only when one arrives.
    private const int InitialReceiveBytes = 4096;
    private const int MaxFrameBytes = LengthPrefix + TransportOptions.MaxTcpMessageBytes;

    private readonly Socket _socket;
    private readonly IQueryProcessor _processor;
    private readonly TcpCounters _counters;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _idle = new();
    private readonly byte[] _clientAddress = new byte[16];
    private int _clientAddressLength;
    private byte[] _receive = ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
    private byte[]? _response;
    private int _start;
    private int _end;

    public TcpConnection(Socket socket, IQueryProcessor processor, TcpCounters counters, TimeSpan idleTimeout)
    {
        _socket = socket;
        _processor = processor;
        _counters = counters;
        _idleTimeout = idleTimeout;
    }

    /// <summary>Runs the connection to its end; never faults.</summary>
    public async Task RunAsync()
    {
        try
        {
            _socket.NoDelay = true;
            _clientAddressLength = ClientAddress.Write(_socket.RemoteEndPoint, _clientAddress);

            while (true)
            {
                int available = _end - _start;
                if (available >= LengthPrefix)
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(_receive.AsSpan(_start));
                    if (length == 0)
                    {
                        // No DNS message is empty: the stream is not DNS, or framing is lost.
                        _counters.Error();
                        return;
                    }

                    if (available >= LengthPrefix + length)
                    {
                        int answer = Answer(_start + LengthPrefix, length);
                        _start += LengthPrefix + length;
                        if (answer < 0)
                            return;
                        if (answer > 0)
                            await SendAsync(answer).ConfigureAwait(false);
                        continue;
                    }

                    MakeRoom(LengthPrefix + length);
                }
                else
                {
                    MakeRoom(LengthPrefix);
                }

                _idle.CancelAfter(_idleTimeout);
                int read = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, _idle.Token).ConfigureAwait(false);
                if (read == 0)
                    return;   // the client closed, perhaps mid-frame; nothing to answer
                _end += read;
            }
        }
        catch (OperationCanceledException) when (_idle.IsCancellationRequested)
        {
            _counters.TimedOut();
        }
        catch (SocketException)
        {
            // Reset by the peer, or aborted by Stop: an ordinary end.
        }
        catch (ObjectDisposedException)
        {
            // Aborted by Stop.
        }
        catch (Exception)
        {
            _counters.Error();
        }
        finally
        {
            _socket.Dispose();
            _idle.Dispose();
            ArrayPool<byte>.Shared.Return(_receive);
            if (_response is not null)
                ArrayPool<byte>.Shared.Return(_response);
        }
    }

    /// <summary>Closes the socket, which ends a pending receive or send.</summary>
    public void Abort() => _socket.Dispose();

    /// <summary>
    /// Processes one query into the response buffer after its length prefix.
    /// Returns the answer length, 0 for no answer, or -1 to close the connection.
    /// </summary>
    private int Answer(int offset, int length)
    {
        _counters.Received();
        _response ??= ArrayPool<byte>.Shared.Rent(MaxFrameBytes);
        int answer;
        try
        {
            answer = _processor.Process(
                _receive.AsSpan(offset, length),
                _response.AsSpan(LengthPrefix, TransportOptions.MaxTcpMessageBytes),
                TransportKind.Tcp,
                _clientAddress.AsSpan(0, _clientAddressLength));
        }
        catch (Exception)
        {
            // The client would wait forever for this answer; closing tells it to retry or give up.
            _counters.Error();
            return -1;
        }

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

        BinaryPrimitives.WriteUInt16BigEndian(_response, (ushort)answer);
        return answer;
    }

    private async ValueTask SendAsync(int answer)
    {
        // The timeout also covers a client that stops reading and lets the window fill.
        _idle.CancelAfter(_idleTimeout);
        int total = LengthPrefix + answer;
        int sent = 0;
        while (sent < total)
            sent += await _socket.SendAsync(_response!.AsMemory(sent, total - sent), SocketFlags.None, _idle.Token).ConfigureAwait(false);
        _counters.Answered();
    }

    /// <summary>Ensures a frame of <paramref name="frameBytes"/> fits from <see cref="_start"/> with room to read more.</summary>
    private void MakeRoom(int frameBytes)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_start + frameBytes <= _receive.Length && _end < _receive.Length)
            return;

        byte[] target = _receive;
        if (frameBytes > _receive.Length)
            target = ArrayPool<byte>.Shared.Rent(MaxFrameBytes);

        int pending = _end - _start;
        Buffer.BlockCopy(_receive, _start, target, 0, pending);
        if (!ReferenceEquals(target, _receive))
        {
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = target;
        }

        _start = 0;
        _end = pending;
    }
}
