namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// The TCP counters, shared by every connection of one server. Interlocked here is fine:
/// TCP carries a small share of DNSBL traffic and each bump is cheap next to a send syscall.
/// </summary>
internal sealed class TcpCounters
{
    private long _received;
    private long _answered;
    private long _dropped;
    private long _errors;
    private long _open;
    private long _total;
    private long _rejected;
    private long _timeouts;
    private long _evicted;
    private long _deadlines;
    private long _acceptErrors;
    private long _proxyInvalid;
    private long _proxyUntrusted;

    public void Received() => Interlocked.Increment(ref _received);

    public void Answered() => Interlocked.Increment(ref _answered);

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public void Error() => Interlocked.Increment(ref _errors);

    public void TimedOut() => Interlocked.Increment(ref _timeouts);

    public void Evicted() => Interlocked.Increment(ref _evicted);

    public void DeadlineHit() => Interlocked.Increment(ref _deadlines);

    public void AcceptError() => Interlocked.Increment(ref _acceptErrors);

    public void Rejected() => Interlocked.Increment(ref _rejected);

    public void ProxyInvalid() => Interlocked.Increment(ref _proxyInvalid);

    public void ProxyUntrusted() => Interlocked.Increment(ref _proxyUntrusted);

    public long Open => Volatile.Read(ref _open);

    /// <summary>Claims a connection slot; false when <paramref name="max"/> are already open.</summary>
    public bool TryOpen(int max)
    {
        if (Interlocked.Increment(ref _open) > max)
        {
            Interlocked.Decrement(ref _open);
            return false;
        }

        Interlocked.Increment(ref _total);
        return true;
    }

    public void Closed() => Interlocked.Decrement(ref _open);

    public TransportCounters Snapshot() => new()
    {
        TcpReceived = Volatile.Read(ref _received),
        TcpAnswered = Volatile.Read(ref _answered),
        TcpDropped = Volatile.Read(ref _dropped),
        TcpErrors = Volatile.Read(ref _errors),
        TcpConnectionsOpen = Volatile.Read(ref _open),
        TcpConnectionsTotal = Volatile.Read(ref _total),
        TcpRejected = Volatile.Read(ref _rejected),
        TcpTimeouts = Volatile.Read(ref _timeouts),
        TcpEvicted = Volatile.Read(ref _evicted),
        TcpQueryDeadlines = Volatile.Read(ref _deadlines),
        TcpAcceptErrors = Volatile.Read(ref _acceptErrors),
        TcpProxyInvalid = Volatile.Read(ref _proxyInvalid),
        TcpProxyUntrusted = Volatile.Read(ref _proxyUntrusted),
    };
}
