using DnsblServer.Zones.ZoneSets;
using System.Collections.Immutable;
using System.Net;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// Immutable runtime settings, produced once at startup from the rbldnsd command line
/// (<see cref="RbldnsdCommandLine"/>), the <c>Dnsbl</c> configuration section (<see cref="DnsblOptions"/>),
/// or both (<see cref="ServerSettingsLoader"/>). Follows Garnet's <c>Options</c> → <c>GarnetServerOptions</c> split:
/// nothing downstream sees <c>IConfiguration</c>.
/// </summary>
/// <remarks>
/// Collections are <see cref="ImmutableArray{T}"/>, so record equality compares them by reference;
/// compare element by element when that matters.
/// </remarks>
public sealed record ServerSettings
{
    /// <summary>rbldnsd's default TTL: 35 minutes.</summary>
    public const uint RbldnsdDefaultTtl = 35 * 60;

    /// <summary>rbldnsd's default check interval: 1 minute.</summary>
    public static readonly TimeSpan RbldnsdDefaultCheckInterval = TimeSpan.FromSeconds(60);

    /// <summary>Port used when a listen address has none (53, "domain").</summary>
    public const int DefaultPort = 53;

    /// <summary>Addresses to listen on (<c>-b addr[/port]</c>), duplicates removed, in the order given.</summary>
    /// <remarks>Defaults to none; at least one is required unless <see cref="Dump"/> is set.</remarks>
    public ImmutableArray<IPEndPoint> Listen { get; init; } = [];

    /// <summary>Only IPv4 endpoints are allowed (<c>-4</c>).</summary>
    /// <remarks>Defaults to <c>false</c>. At most one of <see cref="IPv4Only"/> and <see cref="IPv6Only"/> is set (the last of <c>-4</c>/<c>-6</c> wins).</remarks>
    public bool IPv4Only { get; init; }

    /// <summary>Only IPv6 endpoints are allowed (<c>-6</c>).</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool IPv6Only { get; init; }

    /// <summary>Directory that relative zone file names are resolved against (<c>-w dir</c>).</summary>
    /// <remarks>Defaults to <c>null</c>: the process's current directory.</remarks>
    public string? WorkingDirectory { get; init; }

    /// <summary>TTL in seconds for answers whose data gives none (<c>-t def</c>). Never 0.</summary>
    /// <remarks>Defaults to 2100 (35m).</remarks>
    public uint DefaultTtl { get; init; } = RbldnsdDefaultTtl;

    /// <summary>Lower clamp in seconds for TTLs from data (<c>-t :min</c>); 0 = no clamp.</summary>
    /// <remarks>Defaults to 0.</remarks>
    public uint MinTtl { get; init; }

    /// <summary>Upper clamp in seconds for TTLs from data (<c>-t ::max</c>); 0 = no clamp.</summary>
    /// <remarks>Defaults to 0.</remarks>
    public uint MaxTtl { get; init; }

    /// <summary>How often zone files are checked for changes (<c>-c</c>); <see cref="TimeSpan.Zero"/> disables the timer (SIGHUP still reloads).</summary>
    /// <remarks>Defaults to 60 seconds.</remarks>
    public TimeSpan CheckInterval { get; init; } = RbldnsdDefaultCheckInterval;

    /// <summary>Accept CIDR entries with non-zero host bits, masking them off (<c>-e</c>).</summary>
    /// <remarks>Defaults to <c>false</c>: such entries are rejected with a warning.</remarks>
    public bool AcceptHostBits { get; init; }

    /// <summary>Lazy mode: no NS records in AUTHORITY of positive answers (<c>-a</c>; <c>-A</c> turns it off).</summary>
    /// <remarks>Defaults to <c>false</c> (non-lazy, as rbldnsd 1.0pre).</remarks>
    public bool LazyNs { get; init; }

    /// <summary>Answer to version.bind CH TXT (<c>-v</c> counted).</summary>
    /// <remarks>Defaults to <see cref="VersionMode.Normal"/>.</remarks>
    public VersionMode VersionMode { get; init; } = VersionMode.Normal;

    /// <summary>Stay in the foreground (<c>-n</c>). The server never forks; this only selects console logging.</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool Foreground { get; init; }

    /// <summary>Quiet/quick start (<c>-q</c>): first load in the background, initial load errors not fatal.</summary>
    /// <remarks>Defaults to <c>false</c>: any initial load error is fatal.</remarks>
    public bool Quiet { get; init; }

    /// <summary>File to write the process id to (<c>-p file</c>); relative to the directory the server was started in.</summary>
    /// <remarks>Defaults to <c>null</c>: no pid file.</remarks>
    public string? PidFile { get; init; }

    /// <summary>Query log (<c>-l [+]file</c>).</summary>
    /// <remarks>Defaults to <c>null</c>: no query log.</remarks>
    public QueryLogTarget? QueryLog { get; init; }

    /// <summary>Statistics file (<c>-s [+]file</c>).</summary>
    /// <remarks>Defaults to <c>null</c>: no statistics file.</remarks>
    public StatsFileTarget? StatsFile { get; init; }

    /// <summary><c>-f</c> was given. Accepted for compatibility and has no effect: reloads never block queries here.</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool Fork { get; init; }

    /// <summary>Do not decompress gzip data files (<c>-C</c>).</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool NoGzip { get; init; }

    /// <summary>Dump all zones in BIND format to standard output and exit (<c>-d</c>).</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool Dump { get; init; }

    /// <summary>Syslog facility name (<c>-F</c>), validated against rbldnsd's list.</summary>
    /// <remarks>Defaults to <c>daemon</c>.</remarks>
    public string SyslogFacility { get; init; } = "daemon";

    /// <summary>Zones in command-line order. A name may repeat (one zone built from several datasets).</summary>
    /// <remarks>Defaults to none; at least one is required.</remarks>
    public ImmutableArray<ZoneSpec> Zones { get; init; } = [];

    /// <summary>Exempt allow-lists and the zones they apply to (configuration only; rbldnsd has none). Defaults to none.</summary>
    public ImmutableArray<ExemptSpec> Exempt { get; init; } = [];

    /// <summary>DNS over TCP.</summary>
    /// <remarks>Defaults to <see cref="TcpSettings"/>'s defaults.</remarks>
    public TcpSettings Tcp { get; init; } = new();

    /// <summary>EDNS UDP payload size advertised and honoured, in bytes (512–65535).</summary>
    /// <remarks>Defaults to 1232 (DNS Flag Day 2020).</remarks>
    public int EdnsPayloadSize { get; init; } = 1232;

    /// <summary>Proxies whose PROXY v2 header names the client (<c>Dnsbl:ProxyProtocol:TrustedProxies</c>).</summary>
    /// <remarks>Defaults to empty: no PROXY protocol.</remarks>
    public ImmutableArray<IPNetwork> TrustedProxies { get; init; } = [];
    /// <summary>Response rate limiting of UDP answers (<c>Dnsbl:RateLimit</c>); built only when <see cref="DnsblServer.Serving.RateLimiting.RateLimiterOptions.Enabled"/>.</summary>
    /// <remarks>Defaults to off (<c>ResponsesPerSecond</c> 0).</remarks>
    public DnsblServer.Serving.RateLimiting.RateLimiterOptions RateLimit { get; init; } = new();

    /// <summary>Where the HTTP listener for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> binds (<c>Dnsbl:Metrics:Listen</c>).</summary>
    /// <remarks>Defaults to <c>null</c>: no listener.</remarks>
    public IPEndPoint? MetricsListen { get; init; }

    /// <summary>DNS Cookies (<c>Dnsbl:Cookies</c>).</summary>
    /// <remarks>Defaults to <see cref="CookieSettings"/>'s defaults: on, random secret.</remarks>
    public CookieSettings Cookies { get; init; } = new();

    /// <summary>The admin HTTP API (<c>Dnsbl:Admin</c>).</summary>
    /// <remarks>Defaults to <see cref="AdminSettings"/>'s defaults: off until a token is set.</remarks>
    public AdminSettings Admin { get; init; } = new();

    /// <summary>Keyed zones (<c>Dnsbl:Keys</c>).</summary>
    /// <remarks>Defaults to <see cref="KeysSettings"/>'s defaults.</remarks>
    public KeysSettings Keys { get; init; } = new();

    /// <summary>Receive loops per UDP endpoint.</summary>
    /// <remarks>Defaults to <see cref="Environment.ProcessorCount"/>.</remarks>
    public int UdpLoopsPerEndpoint { get; init; } = Environment.ProcessorCount;

    /// <summary>Linux: microseconds a UDP loop sleeps after a partial batch so the next gathers (<c>Dnsbl:UdpBatchWait</c>); 0 = off.</summary>
    /// <remarks>Defaults to 100.</remarks>
    public int UdpBatchWaitMicroseconds { get; init; } = 100;

    /// <summary>Largest size of one zone file after decompression, in bytes; 0 = no limit (<c>Dnsbl:MaxFileBytes</c>).</summary>
    /// <remarks>Defaults to 2 GiB.</remarks>
    public long MaxFileBytes { get; init; } = DnsblServer.Zones.Files.LoadOptions.Default.MaxFileBytes;

    /// <summary>Largest number of lines in one zone file; 0 = no limit (<c>Dnsbl:MaxFileLines</c>).</summary>
    /// <remarks>Defaults to 50 million.</remarks>
    public long MaxFileLines { get; init; } = DnsblServer.Zones.Files.LoadOptions.Default.MaxFileLines;

    /// <summary>Shrink guard: a reload dropping more than this percent of a dataset's entries is refused; 0 = off (<c>Dnsbl:MaxShrinkPercent</c>).</summary>
    /// <remarks>Defaults to 50.</remarks>
    public int MaxShrinkPercent { get; init; } = DnsblServer.Zones.Files.LoadOptions.Default.MaxShrinkPercent;

    /// <summary>Default of <see cref="LoadTimeout"/>: generous for millions of entries on slow disks.</summary>
    public static readonly TimeSpan DefaultLoadTimeout = TimeSpan.FromMinutes(10);

    /// <summary>A load running longer is reported stalled and stops holding up reloads and shutdown (<c>Dnsbl:LoadTimeout</c>).</summary>
    /// <remarks>Defaults to 10 minutes.</remarks>
    public TimeSpan LoadTimeout { get; init; } = DefaultLoadTimeout;

    /// <summary>How zone files are read under these settings (serve, check and explain read them alike).</summary>
    public Zones.Files.LoadOptions ToLoadOptions() => new()
    {
        DefaultTtl = DefaultTtl,
        MinTtl = MinTtl,
        MaxTtl = MaxTtl,
        AcceptHostBits = AcceptHostBits,
        NoGzip = NoGzip,
        WorkingDirectory = WorkingDirectory,
        MaxFileBytes = MaxFileBytes,
        MaxFileLines = MaxFileLines,
        MaxShrinkPercent = MaxShrinkPercent,
    };
}
