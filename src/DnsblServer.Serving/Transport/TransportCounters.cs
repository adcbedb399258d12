namespace DnsblServer.Serving.Transport;

/// <summary>
/// A point-in-time sum of the transport counters, for the metrics exporter. Totals only grow
/// while a server lives; <see cref="TcpConnectionsOpen"/> is a gauge. Each loop's counters are
/// read without a lock, so a snapshot taken under load may be a few packets behind.
/// </summary>
public readonly record struct TransportCounters
{
    /// <summary>UDP datagrams received (not exported: <c>dnsbl_queries_total</c> counts them).</summary>
    public long UdpReceived { get; init; }

    /// <summary>UDP answers sent (not exported: <c>dnsbl_queries_total</c> counts them).</summary>
    public long UdpAnswered { get; init; }

    /// <summary>UDP queries the processor chose not to answer (not exported: <c>dnsbl_queries_total</c> counts them).</summary>
    public long UdpDropped { get; init; }

    /// <summary>UDP receive, send or processing failures (<c>dnsbl_transport_udp_errors_total</c>).</summary>
    public long UdpErrors { get; init; }

    /// <summary>TCP queries (frames) received (not exported: <c>dnsbl_queries_total</c> counts them).</summary>
    public long TcpReceived { get; init; }

    /// <summary>TCP answers sent (not exported: <c>dnsbl_queries_total</c> counts them).</summary>
    public long TcpAnswered { get; init; }

    /// <summary>TCP queries the processor chose not to answer (not exported: <c>dnsbl_queries_total</c> counts them).</summary>
    public long TcpDropped { get; init; }

    /// <summary>TCP malformed frames, processing failures and frames over the large-buffer budget (<c>dnsbl_transport_tcp_errors_total</c>).</summary>
    public long TcpErrors { get; init; }

    /// <summary>TCP connections open now (<c>dnsbl_tcp_connections_open</c>, a gauge).</summary>
    public long TcpConnectionsOpen { get; init; }

    /// <summary>TCP connections accepted under the cap (<c>dnsbl_tcp_connections_total</c>).</summary>
    public long TcpConnectionsTotal { get; init; }

    /// <summary>TCP connections closed at once: the cap was reached and no open connection could be evicted (<c>dnsbl_transport_tcp_rejected_total</c>).</summary>
    public long TcpRejected { get; init; }

    /// <summary>TCP connections closed by the idle timeout, between queries or while an answer went unread (<c>dnsbl_transport_tcp_timeouts_total</c>).</summary>
    public long TcpTimeouts { get; init; }

    /// <summary>TCP connections closed to make room for a new one at the cap, longest-waiting first (<c>dnsbl_transport_tcp_evicted_total</c>).</summary>
    public long TcpEvicted { get; init; }

    /// <summary>TCP connections closed because a query did not arrive whole within the query timeout (<c>dnsbl_transport_tcp_query_deadlines_total</c>).</summary>
    public long TcpQueryDeadlines { get; init; }

    /// <summary>Failed accepts (EMFILE, ENFILE, ENOBUFS...), each followed by a short pause (<c>dnsbl_transport_tcp_accept_errors_total</c>).</summary>
    public long TcpAcceptErrors { get; init; }

    /// <summary>UDP datagrams from a trusted proxy without a valid PROXY v2 header (<c>dnsbl_proxy_dropped_total{transport="udp",reason="invalid"}</c>).</summary>
    public long UdpProxyInvalid { get; init; }

    /// <summary>UDP datagrams with a PROXY v2 header from a peer not trusted (<c>dnsbl_proxy_dropped_total{transport="udp",reason="untrusted"}</c>).</summary>
    public long UdpProxyUntrusted { get; init; }

    /// <summary>TCP connections from a trusted proxy that did not start with a valid PROXY v2 header in time (<c>reason="invalid"</c>).</summary>
    public long TcpProxyInvalid { get; init; }

    /// <summary>TCP connections starting with a PROXY v2 header from a peer not trusted (<c>reason="untrusted"</c>).</summary>
    public long TcpProxyUntrusted { get; init; }

    /// <summary>Adds two snapshots field by field (UDP from one server, TCP from another).</summary>
    public static TransportCounters operator +(TransportCounters a, TransportCounters b) => new()
    {
        UdpReceived = a.UdpReceived + b.UdpReceived,
        UdpAnswered = a.UdpAnswered + b.UdpAnswered,
        UdpDropped = a.UdpDropped + b.UdpDropped,
        UdpErrors = a.UdpErrors + b.UdpErrors,
        TcpReceived = a.TcpReceived + b.TcpReceived,
        TcpAnswered = a.TcpAnswered + b.TcpAnswered,
        TcpDropped = a.TcpDropped + b.TcpDropped,
        TcpErrors = a.TcpErrors + b.TcpErrors,
        TcpConnectionsOpen = a.TcpConnectionsOpen + b.TcpConnectionsOpen,
        TcpConnectionsTotal = a.TcpConnectionsTotal + b.TcpConnectionsTotal,
        TcpRejected = a.TcpRejected + b.TcpRejected,
        TcpTimeouts = a.TcpTimeouts + b.TcpTimeouts,
        TcpEvicted = a.TcpEvicted + b.TcpEvicted,
        TcpQueryDeadlines = a.TcpQueryDeadlines + b.TcpQueryDeadlines,
        TcpAcceptErrors = a.TcpAcceptErrors + b.TcpAcceptErrors,
        UdpProxyInvalid = a.UdpProxyInvalid + b.UdpProxyInvalid,
        UdpProxyUntrusted = a.UdpProxyUntrusted + b.UdpProxyUntrusted,
        TcpProxyInvalid = a.TcpProxyInvalid + b.TcpProxyInvalid,
        TcpProxyUntrusted = a.TcpProxyUntrusted + b.TcpProxyUntrusted,
    };
}
