using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using DnsblServer.Serving.Transport.Proxy;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// One UDP receive loop: a dedicated thread doing blocking receives and sends on a socket of its
/// own (Linux SO_REUSEPORT lets the kernel spread datagrams across loops). Everything the hot path
/// touches is allocated once here: the pinned buffers and the peer address reused to answer it.
/// This file is the shared part and the portable loop (<see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/>);
/// <c>UdpLoop.Linux.cs</c> is the same loop on raw <c>recvfrom</c>/<c>sendto</c>. Both hand each
/// datagram to <see cref="Answer"/>, the one place a datagram is processed and counted, so a
/// batched receive (<c>recvmmsg</c>/<c>sendmmsg</c>) only has to call it once per datagram.
/// </summary>
/// <remarks>
/// Blocking calls on a dedicated thread measured faster here than <c>ReceiveFromAsync</c> on the
/// thread pool (no completion dispatch, no epoll round trip), which is the same trade Garnet makes
/// when it handles synchronous completions inside the loop. Unlike Garnet, there is no async path at all.
/// </remarks>
internal sealed partial class UdpLoop
{
    // A UDP payload cannot exceed 65507 bytes (IPv4) or 65527 (IPv6 without jumbograms); a
    // full-size buffer means no datagram is ever silently truncated (Linux) or rejected (Windows).
    // Not SO_RCVBUF: that is TransportOptions.SocketReceiveBufferBytes, the kernel's queue.
    private const int DatagramBufferBytes = 65536;

    // IQueryProcessor promises callers at least 4096 bytes for UDP answers; EDNS payloads above
    // that are capped by the processor to the buffer it is given.
    internal const int ResponseBufferBytes = 4096;

    private readonly Socket _socket;
    private readonly AddressFamily _family;
    private readonly IQueryProcessor _processor;
    private readonly ProxyTrust _trust;
    private readonly byte[] _receive = GC.AllocateUninitializedArray<byte>(DatagramBufferBytes, pinned: true);
    private readonly byte[] _response = GC.AllocateUninitializedArray<byte>(ResponseBufferBytes, pinned: true);
    private readonly SocketAddress _peer;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private UdpLoopCounters _counters;

    public UdpLoop(Socket socket, IQueryProcessor processor, string name, ProxyTrust? trust = null)
    {
        _socket = socket;
        _family = socket.AddressFamily;
        _processor = processor;
        _trust = trust ?? ProxyTrust.From(null);
        _peer = new SocketAddress(_family);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>The socket this loop reads; shared with sibling loops where SO_REUSEPORT is unavailable.</summary>
    public Socket Socket => _socket;

    /// <summary>The loop's thread, for tests and diagnostics.</summary>
    public Thread Thread => _thread;

    public void Start() => _thread.Start();

    /// <summary>Marks the loop as stopping and wakes a blocked receive; the owner then closes the socket.</summary>
    public void SignalStop()
    {
        _stopping = true;
        // A close() does not wake a recvfrom blocked in another thread on Linux; shutdown() does.
        if (OperatingSystem.IsLinux() && !_socket.SafeHandle.IsClosed) LinuxUdp.Shutdown((int)_socket.SafeHandle.DangerousGetHandle(), LinuxUdp.ShutRdWr);
    }

    public long Received => Volatile.Read(ref _counters.Received);

    public long Answered => Volatile.Read(ref _counters.Answered);

    public long Dropped => Volatile.Read(ref _counters.Dropped);

    public long Errors => Volatile.Read(ref _counters.Errors);

    public long ProxyInvalid => Volatile.Read(ref _counters.ProxyInvalid);

    public long ProxyUntrusted => Volatile.Read(ref _counters.ProxyUntrusted);

    private void Run()
    {
        if (OperatingSystem.IsLinux()) RunLinux();
        else RunPortable();
    }

    /// <summary>
    /// One datagram: processed into <paramref name="response"/> and counted. Returns the answer's
    /// length, 0 when nothing is to be sent; the caller sends it and reports with <see cref="Sent"/>.
    /// With trusted proxies configured, a PROXY v2 header is checked and stripped here first (its
    /// source becomes <paramref name="client"/>); the answer still goes to the peer, the proxy.
    /// </summary>
    private int Answer(ReadOnlySpan<byte> datagram, Span<byte> response, ReadOnlySpan<byte> client)
    {
        _counters.Received++;
        if (_trust.Enabled && ProxyGate.Unwrap(_trust, ref datagram, ref client) is not ProxyDrop.None and var drop)
        {
            if (drop == ProxyDrop.Invalid) _counters.ProxyInvalid++;
            else _counters.ProxyUntrusted++;
            return 0;
        }
        int length;
        try
        {
            length = _processor.Process(datagram, response, TransportKind.Udp, client);
        }
        catch (Exception)
        {
            _counters.Errors++; // a bad packet or a processor bug costs one answer, never the loop
            return 0;
        }
        if (length <= 0) _counters.Dropped++;
        return Math.Max(length, 0);
    }

    /// <summary>Counts an answer handed to the kernel, or a send that failed.</summary>
    private void Sent(bool ok)
    {
        if (ok) _counters.Answered++;
        else _counters.Errors++;
    }

    // The loop on .NET's Socket, for every system but Linux.
    private void RunPortable()
    {
        Socket socket = _socket;
        SocketAddress peer = _peer;
        byte[] receive = _receive;
        byte[] response = _response;

        while (!_stopping)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(receive, SocketFlags.None, peer);
            }
            catch (Exception e)
            {
                if (ShouldExit(e)) return;
                continue;
            }

            int length = Answer(receive.AsSpan(0, received), response, ClientAddress.From(peer, _family));
            if (length == 0) continue;
            try
            {
                socket.SendTo(response.AsSpan(0, length), SocketFlags.None, peer);
            }
            catch (Exception e)
            {
                if (_stopping || e is ObjectDisposedException) return;
                Sent(ok: false);
                continue;
            }
            Sent(ok: true);
        }
    }

    /// <summary>Counts the error unless the loop is shutting down; true when the loop must end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ShouldExit(Exception e)
    {
        if (_stopping || e is ObjectDisposedException)
            return true;
        // ICMP port-unreachable from an earlier answer surfaces as ConnectionReset on Windows;
        // MessageSize and the rest are per-datagram. All are counted and survived.
        _counters.Errors++;
        return false;
    }
}
