namespace DnsblServer.Hosting.Http;

/// <summary>
/// The limits Kestrel enforces on the metrics and admin listeners. The fixed ones are constants
/// here, with the reason next to each; the connection caps follow the descriptor limit.
/// </summary>
internal sealed record HttpLimits(long MaxConnections, long MaxRequestBodySize)
{
    /// <summary>
    /// An idle keep-alive connection (and one that never sends a request) is closed after 10 s:
    /// Prometheus scrapes every 15 s or more, so a longer keep-alive would save nothing, and an idle
    /// client holds a connection slot for at most this long.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>All request headers within 10 s of the first byte (slowloris on the header lines).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A body arrives at 1 KiB/s or faster after a 5 s grace (Kestrel's default is 240 B/s); the largest
    /// upload of 256 MiB over a slow link still passes, a one-byte-a-second body is cut off.
    /// </summary>
    public const int MinBodyBytesPerSecond = 1024;

    /// <summary>The grace period before <see cref="MinBodyBytesPerSecond"/> applies.</summary>
    public static readonly TimeSpan MinDataRateGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>curl sends 3 headers, Prometheus 5, a browser about 15; Kestrel's default is 100.</summary>
    public const int MaxRequestHeaderCount = 32;

    /// <summary>16 KiB of headers in all (Kestrel's default is 32 KiB); a bearer token is under 1 KiB.</summary>
    public const int MaxRequestHeadersTotalSize = 16 << 10;

    /// <summary>Bytes Kestrel buffers per connection before it stops reading (default 1 MiB): 64 KiB × the cap stays small.</summary>
    public const int MaxRequestBufferSize = 64 << 10;

    /// <summary>
    /// Connections the metrics listener holds at once: a sixteenth of the descriptor limit, at least 4
    /// and at most 256 (16 at <c>ulimit -n 256</c>, 64 at 1,024, 256 from 4,096 up). A few Prometheus
    /// servers need a handful; the cap only has to keep an idle-connection flood from taking the
    /// descriptors that the DNS side needs.
    /// </summary>
    public static long MetricsConnections(long descriptorLimit) => Math.Clamp(descriptorLimit / 16, 4, 256);

    /// <summary>
    /// Connections the admin API holds at once: a sixty-fourth of the descriptor limit, at least 2 and at
    /// most 32 (4 at <c>ulimit -n 256</c>, 16 at 1,024). It serves a few scripts.
    /// </summary>
    /// <remarks>
    /// Both caps together take at most 1/16 + 1/64 (8 %) of the descriptors, 20 of 256. The other 92 %
    /// stay for the runtime itself (120 to 180 at start, measured under <c>ulimit -n 256</c>: mapped
    /// assemblies, epoll, eventfds, pipes, stdio; below about 190 the runtime cannot even start its threads),
    /// the zone loads (one file per dataset while it loads, inotify for the watcher), one journal per
    /// pushed dataset, and the DNS listeners' TCP connections, which matter most.
    /// </remarks>
    public static long AdminConnections(long descriptorLimit) => Math.Clamp(descriptorLimit / 64, 2, 32);
}
