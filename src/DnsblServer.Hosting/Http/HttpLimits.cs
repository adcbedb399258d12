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
    /// Descriptors the runtime holds on its own: 186 at start and 206 after a scrape and an admin call,
    /// measured under <c>ulimit -n 1024</c> (178 of them are the assemblies it keeps open; Kestrel's
    /// add about 20). Below about 190 the runtime cannot even start its threads.
    /// </summary>
    public const long RuntimeDescriptors = 256;

    /// <summary>
    /// Connections the metrics listener holds at once: a sixteenth of what the runtime leaves, at least 4
    /// and at most 256 (4 at <c>ulimit -n 256</c>, 48 at 1,024, 240 at 4,096). A few Prometheus servers
    /// need a handful; the cap only has to keep an idle-connection flood from taking the descriptors
    /// the DNS side needs.
    /// </summary>
    public static long MetricsConnections(long descriptorLimit) => Math.Clamp((descriptorLimit - RuntimeDescriptors) / 16, 4, 256);

    /// <summary>
    /// Connections the admin API holds at once: a sixty-fourth of what the runtime leaves, at least 2 and
    /// at most 32 (2 at <c>ulimit -n 256</c>, 12 at 1,024). It serves a few scripts.
    /// </summary>
    /// <remarks>
    /// Above the minimums both caps together take at most 1/16 + 1/64 (8 %) of what the runtime leaves.
    /// The other 92 % stay for the zone loads (one file per dataset while it loads, inotify for the
    /// watcher), one journal per pushed dataset, and the DNS listeners' TCP connections, which matter most.
    /// </remarks>
    public static long AdminConnections(long descriptorLimit) => Math.Clamp((descriptorLimit - RuntimeDescriptors) / 64, 2, 32);
}
