using DnsblServer.Zones.ZoneSets;
using System.Net;
using DnsblServer.Hosting.Configuration.Internal;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// The <c>Dnsbl</c> configuration section (appsettings.json, <c>DNSBL__KEY</c> environment variables,
/// <c>--Dnsbl:Key=Value</c> arguments). Plain bindable values; <see cref="ToSettings(out IReadOnlyList{string})"/>
/// validates them into <see cref="ServerSettings"/>. Durations use rbldnsd's syntax (<c>60</c>, <c>35m</c>, <c>1h</c>).
/// </summary>
public sealed class DnsblOptions : IOptionsSection
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Dnsbl";

    /// <summary>Listen addresses: <c>addr</c>, <c>addr/port</c>, <c>ipv4:port</c>, <c>[ipv6]:port</c>, <c>[ipv6]/port</c>; numeric only.</summary>
    /// <remarks>Defaults to empty: <c>-b</c> must then be given. (Kept empty because the binder appends to lists.)</remarks>
    public List<string> Listen { get; set; } = [];

    /// <summary>Directory that relative zone file names are relative to (<c>-w</c>).</summary>
    /// <remarks>Defaults to <c>null</c>: the current directory.</remarks>
    public string? WorkingDirectory { get; set; }

    /// <summary>TTLs as <c>-t</c>: <c>def[:min[:max]]</c>, e.g. <c>35m</c> or <c>60:30:300</c>; 0 min/max = no clamp.</summary>
    /// <remarks>Defaults to <c>35m</c> (2100 s, no clamps).</remarks>
    public string Ttl { get; set; } = "35m";

    /// <summary>Zone file change check interval as <c>-c</c>; <c>0</c> = only on SIGHUP.</summary>
    /// <remarks>Defaults to <c>1m</c>.</remarks>
    public string CheckInterval { get; set; } = "1m";

    /// <summary>Zones: objects <c>{ Name, Type, Files }</c> and/or strings <c>zone:type:file[,file...]</c>.</summary>
    /// <remarks>Defaults to empty: zone arguments must then be given.</remarks>
    public List<ZoneOptions?> Zones { get; set; } = [];

    /// <summary>Exempt allow-lists: <c>{ Name, Files, Zones }</c>; a list without <c>Zones</c> applies to every zone. Defaults to none.</summary>
    public List<ExemptOptions?> Exempt { get; set; } = [];

    /// <summary>Lazy mode (<c>-a</c>): no NS in AUTHORITY of positive answers.</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool Lazy { get; set; }

    /// <summary>Accept CIDR entries with non-zero host bits (<c>-e</c>).</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool AcceptHostBits { get; set; }

    /// <summary>version.bind answer: <c>Normal</c>, <c>Short</c> (<c>-v</c>) or <c>Refused</c> (<c>-v -v</c>).</summary>
    /// <remarks>Defaults to <c>Normal</c>.</remarks>
    public VersionMode Version { get; set; } = VersionMode.Normal;

    /// <summary>Query log as <c>-l</c>: <c>[+]file</c>, <c>-</c> = standard output.</summary>
    /// <remarks>Defaults to <c>null</c>: no query log.</remarks>
    public string? QueryLog { get; set; }

    /// <summary>Statistics file as <c>-s</c>: <c>[+]file</c>.</summary>
    /// <remarks>Defaults to <c>null</c>: none.</remarks>
    public string? StatsFile { get; set; }

    /// <summary>Do not decompress gzip data files (<c>-C</c>).</summary>
    /// <remarks>Defaults to <c>false</c>.</remarks>
    public bool NoGzip { get; set; }

    /// <summary>DNS over TCP.</summary>
    /// <remarks>Defaults to <see cref="TcpOptions"/>'s defaults.</remarks>
    public TcpOptions Tcp { get; set; } = new();

    /// <summary>The PROXY protocol v2 (<c>Dnsbl:ProxyProtocol</c>).</summary>
    /// <remarks>Defaults to <see cref="ProxyProtocolOptions"/>'s defaults: off.</remarks>
    public ProxyProtocolOptions ProxyProtocol { get; set; } = new();

    /// <summary>EDNS UDP payload size in bytes (512–65535).</summary>
    /// <remarks>Defaults to 1232.</remarks>
    public int EdnsPayloadSize { get; set; } = 1232;

    /// <summary>Response rate limiting (<c>Dnsbl:RateLimit</c>).</summary>
    /// <remarks>Defaults to <see cref="RateLimitOptions"/>'s defaults: off.</remarks>
    public RateLimitOptions RateLimit { get; set; } = new();
    /// <summary>DNS Cookies (<c>Dnsbl:Cookies</c>).</summary>
    /// <remarks>Defaults to <see cref="CookieOptions"/>'s defaults: on, with a random secret.</remarks>
    public CookieOptions Cookies { get; set; } = new();

    /// <summary>The Prometheus metrics and health listener.</summary>
    /// <remarks>Defaults to <see cref="MetricsOptions"/>'s defaults: off.</remarks>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The admin HTTP API (<c>Dnsbl:Admin</c>).</summary>
    /// <remarks>Defaults to <see cref="AdminOptions"/>'s defaults: off until a token is set.</remarks>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Keyed zones: their code answers, usage saving and per-key metrics (<c>Dnsbl:Keys</c>).</summary>
    /// <remarks>Defaults to <see cref="KeysOptions"/>'s defaults.</remarks>
    public KeysOptions Keys { get; set; } = new();

    /// <summary>Largest size of one zone file after decompression, in bytes; 0 = no limit.</summary>
    /// <remarks>Defaults to 2 GiB (<see cref="DnsblServer.Zones.Files.LoadOptions.MaxFileBytes"/>).</remarks>
    public long MaxFileBytes { get; set; } = DnsblServer.Zones.Files.LoadOptions.Default.MaxFileBytes;

    /// <summary>Largest number of lines in one zone file; 0 = no limit.</summary>
    /// <remarks>Defaults to 50 million (<see cref="DnsblServer.Zones.Files.LoadOptions.MaxFileLines"/>).</remarks>
    public long MaxFileLines { get; set; } = DnsblServer.Zones.Files.LoadOptions.Default.MaxFileLines;

    /// <summary>A reload dropping more than this percent of a dataset's entries is refused (0–100); 0 = off.</summary>
    /// <remarks>Defaults to 50 (<see cref="DnsblServer.Zones.Files.LoadOptions.MaxShrinkPercent"/>).</remarks>
    public int MaxShrinkPercent { get; set; } = DnsblServer.Zones.Files.LoadOptions.Default.MaxShrinkPercent;

    /// <summary>A zone load running longer than this is reported as stalled and no longer holds up reloads or shutdown.</summary>
    /// <remarks>Defaults to <c>10m</c>.</remarks>
    public string LoadTimeout { get; set; } = "10m";

    /// <summary>Receive loops per UDP endpoint (1–1024).</summary>
    /// <remarks>Defaults to <c>null</c>: <see cref="Environment.ProcessorCount"/>.</remarks>
    public int? UdpLoops { get; set; }

    /// <summary>Linux: sleep after a partial batch of queries so the next gathers, in microseconds (0–10000; 0 = off).</summary>
    /// <remarks>Defaults to 100.</remarks>
    public int UdpBatchWait { get; set; } = 100;

    /// <summary>Binds the <see cref="SectionName"/> section of <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The configuration root.</param>
    /// <exception cref="InvalidOperationException">A value cannot be converted (e.g. <c>EdnsPayloadSize=abc</c>); the message names the key.</exception>
    public static DnsblOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DnsblOptions();
        var section = configuration.GetSection(SectionName);
        section.Bind(options);
        // The source-generated binder (AOT) ignores ZoneOptions' [TypeConverter] and drops string elements
        // ("zone:type:file"): bind the list here, strings as Spec, objects as before, "" as an empty entry.
        var zones = section.GetSection(nameof(Zones)).GetChildren().ToList();
        if (zones.Exists(z => z.Value is not null))
        {
            options.Zones = [.. zones.Select(z => z.Value is { } spec ? spec.Length == 0 ? null : new ZoneOptions { Spec = spec } : z.Get<ZoneOptions>())];
        }
        return options;
    }

    /// <summary>Validates into complete settings: at least one listen address and one zone are required.</summary>
    /// <param name="errors">Every problem, each naming its key (<c>Dnsbl:Ttl</c>, <c>Dnsbl:Zones:1</c>…); empty on success.</param>
    /// <returns>The settings, or null when <paramref name="errors"/> is not empty.</returns>
    public ServerSettings? ToSettings(out IReadOnlyList<string> errors)
    {
        var list = new List<string>();
        ServerSettings settings = Convert(list);
        if (list.Count == 0)
        {
            SettingsValidator.ValidateComplete(settings, list);
        }

        errors = list;
        return list.Count == 0 ? settings : null;
    }

    /// <summary>Converts without requiring listen addresses or zones: a baseline for <see cref="RbldnsdCommandLine.Parse(IReadOnlyList{string}, ServerSettings?)"/>.</summary>
    internal ServerSettings Convert(List<string> errors)
    {
        var listen = new List<IPEndPoint>();
        for (int i = 0; i < Listen.Count; i++)
        {
            string value = Listen[i] ?? "";
            if (!ListenAddress.TryParseConfig(value, out IPEndPoint? endpoint, out string? error))
            {
                errors.Add($"{SectionName}:Listen:{i} '{value}': {error}");
            }
            else if (!listen.Contains(endpoint))
            {
                listen.Add(endpoint);
            }
        }

        var zones = new List<ZoneSpec>();
        for (int i = 0; i < Zones.Count; i++)
        {
            ZoneOptions? z = Zones[i];
            ZoneSpec? zone;
            string? error;
            bool ok = z switch
            {
                null => Fail("empty entry", out zone, out error),
                { Spec: { } spec } => ZoneSpec.TryParse(spec, out zone, out error),
                _ => ZoneSpec.TryCreate(z.Name, z.Type, z.Files, out zone, out error),
            };
            if (ok)
            {
                zones.Add(zone!);
            }
            else
            {
                errors.Add($"{SectionName}:Zones:{i}: {error}");
            }
        }

        var exempt = new List<ExemptSpec>();
        for (int i = 0; i < Exempt.Count; i++)
        {
            ExemptOptions? e = Exempt[i];
            if (e is null || e.Files.Count == 0 || e.Files.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{SectionName}:Exempt:{i}: needs Files (one or more files of addresses)");
                continue;
            }
            exempt.Add(new ExemptSpec(e.Name ?? Path.GetFileNameWithoutExtension(e.Files[0]), [.. e.Files],
                [.. e.Zones.Where(z => !string.IsNullOrWhiteSpace(z)).Select(z => z.TrimEnd('.').ToLowerInvariant())]));
        }

        IPEndPoint? metricsListen = null;
        if (!string.IsNullOrWhiteSpace(Metrics?.Listen))
        {
            string value = Metrics.Listen.Trim();
            if (!ListenAddress.TryParseConfig(value, out metricsListen, out string? error))
            {
                errors.Add($"{SectionName}:Metrics:Listen '{value}': {error}");
            }
            else if (metricsListen.Port == 0 || !(value.Contains('/')
                     || (value.StartsWith('[') ? value.LastIndexOf(':') > value.LastIndexOf(']') : value.Count(c => c == ':') == 1)))
            {
                errors.Add($"{SectionName}:Metrics:Listen '{value}': needs a port, e.g. 127.0.0.1:9153");
            }
        }

        var trusted = new List<IPNetwork>();
        var proxies = ProxyProtocol?.TrustedProxies ?? [];
        for (int i = 0; i < proxies.Count; i++)
        {
            string value = (proxies[i] ?? "").Trim();
            if (TryParsePrefix(value, out IPNetwork network))
            {
                trusted.Add(network);
            }
            else
            {
                errors.Add($"{SectionName}:ProxyProtocol:TrustedProxies:{i} '{value}': expected an address or a prefix such as 10.0.0.0/8 (no host bits)");
            }
        }

        uint def = ServerSettings.RbldnsdDefaultTtl, min = 0, max = 0;
        if (RbldnsdTime.ApplyTtl(Ttl ?? "", ref def, ref min, ref max) is { } ttlError)
        {
            errors.Add($"{SectionName}:Ttl '{Ttl}': {ttlError}");
        }

        TimeSpan check = ParseDuration("CheckInterval", CheckInterval, ServerSettings.RbldnsdDefaultCheckInterval, errors);
        TimeSpan idle = ParseDuration("Tcp:IdleTimeout", Tcp?.IdleTimeout, TimeSpan.FromSeconds(10), errors);
        TimeSpan queryTimeout = ParseDuration("Tcp:QueryTimeout", Tcp?.QueryTimeout, TimeSpan.FromSeconds(5), errors);
        TimeSpan loadTimeout = ParseDuration("LoadTimeout", LoadTimeout, ServerSettings.DefaultLoadTimeout, errors);
        var settings = new ServerSettings
        {
            Listen = [.. listen],
            WorkingDirectory = string.IsNullOrEmpty(WorkingDirectory) ? null : WorkingDirectory,
            DefaultTtl = def,
            MinTtl = min,
            MaxTtl = max,
            CheckInterval = check,
            Zones = [.. zones],
            Exempt = [.. exempt],
            LazyNs = Lazy,
            AcceptHostBits = AcceptHostBits,
            VersionMode = Version,
            QueryLog = RbldnsdCommandLine.ParseQueryLog(QueryLog ?? ""),
            StatsFile = RbldnsdCommandLine.ParseStatsFile(StatsFile ?? ""),
            NoGzip = NoGzip,
            Tcp = new TcpSettings
            {
                Enabled = Tcp?.Enabled ?? true,
                IdleTimeout = idle,
                QueryTimeout = queryTimeout,
                MaxConnections = Tcp?.MaxConnections ?? 1024,
            },
            EdnsPayloadSize = EdnsPayloadSize,
            TrustedProxies = [.. trusted],
            RateLimit = (RateLimit ?? new RateLimitOptions()).ToSettings(errors),
            Cookies = new CookieSettings
            {
                Enabled = Cookies?.Enabled ?? true,
                Secret = ParseSecret("Cookies:Secret", Cookies?.Secret, errors),
                PreviousSecret = ParseSecret("Cookies:PreviousSecret", Cookies?.PreviousSecret, errors),
            },
            MetricsListen = metricsListen,
            Admin = (Admin ?? new AdminOptions()).ToSettings(),
            Keys = (Keys ?? new KeysOptions()).ToSettings(string.IsNullOrWhiteSpace(Admin?.StateDirectory) ? null : Admin.StateDirectory, errors),
            UdpLoopsPerEndpoint = UdpLoops ?? Environment.ProcessorCount,
            UdpBatchWaitMicroseconds = UdpBatchWait,
            MaxFileBytes = MaxFileBytes,
            MaxFileLines = MaxFileLines,
            MaxShrinkPercent = MaxShrinkPercent,
            LoadTimeout = loadTimeout,
        };
        SettingsValidator.ValidateLimits(settings, errors);
        return settings;
    }

    private static TimeSpan ParseDuration(string key, string? value, TimeSpan fallback, List<string> errors)
    {
        if (value is not null && RbldnsdTime.TryParseInterval(value, out uint seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add($"{SectionName}:{key} '{value}': invalid duration (expected {RbldnsdTime.Syntax})");
        return fallback;
    }

    // Host bits (10.0.0.1/8) are refused, not masked: such a typo would otherwise trust or exempt a whole
    // network silently. A bare address is one host. Shared by TrustedProxies and RateLimit:Exempt.
    internal static bool TryParsePrefix(string value, out IPNetwork network)
    {
        network = default;
        int slash = value.IndexOf('/');
        if (value.Contains('%') || !IPAddress.TryParse(slash < 0 ? value : value[..slash], out IPAddress? address))
            return false;
        int max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            network = new IPNetwork(address, max);
            return true;
        }
        return int.TryParse(value.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out int bits) && bits <= max
            && IPNetwork.TryParse(value, out network) && network.BaseAddress.Equals(address);
    }

    // the value is not repeated in the error: it is meant to be secret
    private static Serving.Cookies.CookieSecret? ParseSecret(string key, string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Serving.Cookies.CookieSecret.TryParseHex(value.Trim(), out var secret)) return secret;
        errors.Add($"{SectionName}:{key}: must be {Serving.Cookies.CookieSecret.HexLength} hex digits (16 bytes), got {value.Trim().Length} characters");
        return null;
    }

    private static bool Fail(string message, out ZoneSpec? zone, out string? error)
    {
        zone = null;
        error = message;
        return false;
    }
}
