using System.Runtime.InteropServices;
using DnsblServer.Hosting.Admin;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Metrics;
using DnsblServer.Hosting.Serve;
using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Transport;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Verbs.Serve;

/// <summary>
/// The serve verb's wiring, from settings and a first load to a host ready to run: query processor, transport,
/// counters, query log, metrics, statistics file, reloads, admin API, file watching and signals. Owns what it
/// opens (query log, watcher, signal registrations) until disposed.
/// </summary>
internal sealed class ServeComposition : IDisposable
{
    private readonly HostApplicationBuilder _builder;
    private readonly List<IDisposable> _owned = [];

    /// <summary>Wires everything; nothing listens until <see cref="Build"/>'s host runs.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="configuration">Where they came from (only its <c>Logging</c> section is read here).</param>
    /// <param name="loading">The zone loading that made <paramref name="first"/>.</param>
    /// <param name="first">The first load's result.</param>
    /// <param name="loggerFactory">For the parts made before the host.</param>
    public ServeComposition(ServerSettings settings, IConfiguration? configuration, ZoneLoading loading, ZoneSetLoadResult first, ILoggerFactory loggerFactory)
    {
        // the settings pipeline already read appsettings.json, the environment and the arguments: no second reading here
        _builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configuration is not null)
        {
            _builder.Configuration.AddConfiguration(configuration);
            _builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        }
        _builder.Logging.AddSimpleConsole(ConsoleFormat);
        _builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Warning);

        var loadOptions = loading.Options;
        var queryLog = settings.QueryLog is { } log
            ? Own(new Serving.QueryLog.QueryLogWriter(log.IsStandardOutput ? "-" : Path.Combine(settings.WorkingDirectory ?? "", log.Path), log.Unbuffered))
            : null;
        // counted only when something reads the counts (metrics listener, -s)
        // first after the answer: what it drops or slips is what the counters and the query log then see
        var rateLimiter = settings.RateLimit.Enabled ? new Serving.RateLimiting.ResponseRateLimiter(settings.RateLimit) : null;
        if (rateLimiter is { Options: var rl })
        {
            Hosting.Serve.Log.RateLimiting(loggerFactory.CreateLogger<DnsServerService>(), rl.ResponsesPerSecond, rl.Ipv4PrefixLength, rl.Ipv6PrefixLength,
                rl.Slip, rl.Exempt.Count, rateLimiter.TableSize, rl.DryRun ? " (dry run: counted, nothing changed)" : "");
        }
        var counters = settings.MetricsListen is not null || settings.StatsFile is not null ? new QueryCounters(first.ZoneSet.Zones.Count) : null;
        var keys = OpenKeys(settings, loadOptions, loggerFactory.CreateLogger<KeyUsageService>());
        var processor = new QueryProcessor(new ResolverOptions
        {
            LazyNs = settings.LazyNs,
            VersionText = settings.VersionMode switch
            {
                VersionMode.Normal => ResolverOptions.DefaultVersionText,
                VersionMode.Short => "DnsblServer",
                _ => null,
            },
            EdnsPayloadSize = (ushort)settings.EdnsPayloadSize,
        }, first.ZoneSet)
        {
            Cookies = CreateCookies(settings.Cookies, loggerFactory),
            AfterAnswer = new AfterAnswerStage(rateLimiter, counters, queryLog),
            Keys = keys,
        };
        var transport = Transport = new TransportServer(processor, new TransportOptions
        {
            Endpoints = [.. settings.Listen.Where(e => !(settings.IPv4Only && e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                                                    && !(settings.IPv6Only && e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))],
            UdpLoopsPerEndpoint = settings.UdpLoopsPerEndpoint,
            UdpBatchWaitMicroseconds = settings.UdpBatchWaitMicroseconds,
            EnableTcp = settings.Tcp.Enabled,
            TcpIdleTimeout = settings.Tcp.IdleTimeout,
            TcpQueryTimeout = settings.Tcp.QueryTimeout,
            MaxTcpConnections = settings.Tcp.MaxConnections,
            TrustedProxies = [.. settings.TrustedProxies],
        });
        if (transport.Tcp is { } tcp)
        {
            var tcpLogger = loggerFactory.CreateLogger<DnsServerService>(); // accept back-off lines, set before the verb starts the listeners
            tcp.Warning = line => Hosting.Serve.Log.TcpWarning(tcpLogger, line);
        }

        var services = _builder.Services;
        services.AddSingleton(loading);
        services.AddSingleton(processor);
        services.AddSingleton(transport);
        // registered before the listeners' service, so it stops after them and saves the last counts
        if (keys.Datasets.Count > 0) services.AddHostedService(sp => new KeyUsageService(keys, settings.Keys.SaveInterval, sp.GetRequiredService<ILogger<KeyUsageService>>()));
        int zoneCount = first.ZoneSet.Zones.Count; // not `first` in the lambda: that would keep the first load's data alive for good
        services.AddHostedService(sp => new DnsServerService(transport, zoneCount, settings.UdpLoopsPerEndpoint, settings.Tcp.MaxConnections, sp.GetRequiredService<ILogger<DnsServerService>>()));
        var metrics = settings.MetricsListen is null ? null : new DnsblMetrics(processor, counters!, transport, pushed: loading.Pushed, stalledLoads: () => loading.StalledLoads, rateLimiter: rateLimiter)
        {
            PerKeySeries = settings.Keys.PerKeyMetrics ? settings.Keys.MaxKeySeries : 0,
        };
        if (settings.MetricsListen is { } metricsListen)
        {
            services.AddHostedService(sp => new MetricsServer(metricsListen, metrics!, processor, sp.GetRequiredService<ILogger<MetricsServer>>(), sp.GetServices<ILoggerProvider>(), loading.Stalled));
        }
        var stats = settings.StatsFile is not { } statsTarget ? null : new StatsFile(
            Path.Combine(settings.WorkingDirectory ?? "", statsTarget.Path), statsTarget.Relative, counters!, processor, settings.CheckInterval,
            loggerFactory.CreateLogger<StatsFile>());
        if (stats is not null) services.AddHostedService(_ => stats);
        var reloader = new ZoneReloadService(loading, processor, settings.CheckInterval, loggerFactory.CreateLogger<ZoneReloadService>());
        services.AddHostedService(_ => reloader);
        services.AddHostedService(sp => new AdminApi(settings.Admin, loading, processor, reloader, sp.GetRequiredService<ILogger<AdminApi>>(), sp.GetServices<ILoggerProvider>()));
        SystemdReadiness.AddIfRequested(services); // READY=1 once the listeners are bound

        // file changes are picked up within a second; the -c interval stays as the fallback
        // (-c 0 means reload on SIGHUP only, as in rbldnsd: no watching either)
        if (settings.CheckInterval > TimeSpan.Zero)
        {
            _watcher = Own(new ZoneFileWatcher(
                settings.Zones.SelectMany(z => z.Files).Concat(settings.Exempt.SelectMany(e => e.Files)).Select(loadOptions.ResolvePath),
                TimeSpan.FromMilliseconds(500),
                reloader.RequestReload));
        }

        // SIGHUP means "check the files now" (and reopen the query log, for rotation), never "exit";
        // registered before the listeners open so an early HUP cannot kill the server.
        Own(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            queryLog?.Reopen();
            reloader.RequestReload();
        }));

        // rbldnsd -s: SIGUSR1 writes a statistics line and logs the counters, SIGUSR2 also resets them
        if (stats is not null && !OperatingSystem.IsWindows())
        {
            Own(PosixSignalRegistration.Create(SigUsr1, context =>
            {
                context.Cancel = true;
                stats.OnUsr1();
            }));
            Own(PosixSignalRegistration.Create(SigUsr2, context =>
            {
                context.Cancel = true;
                stats.OnUsr2();
            }));
        }
    }

    // RFC 7873 server cookies; null (ignore the option, as rbldnsd) when switched off
    private static Serving.Cookies.ServerCookies? CreateCookies(CookieSettings cookies, ILoggerFactory loggerFactory)
    {
        if (!cookies.Enabled) return null;
        if (cookies.Secret is null) Hosting.Serve.Log.RandomCookieSecret(loggerFactory.CreateLogger<DnsServerService>());
        return new Serving.Cookies.ServerCookies(cookies.Secret ?? Serving.Cookies.CookieSecret.Random(), cookies.PreviousSecret);
    }

    /// <summary>The UDP and TCP listeners; the serve verb binds them (<see cref="TransportServer.Start"/>) before the host runs.</summary>
    public TransportServer Transport { get; }

    private readonly ZoneFileWatcher? _watcher;

    /// <summary>Starts watching the zone files for changes (call once the server answers); nothing when -c 0.</summary>
    public void StartWatchingFiles() => _watcher?.Start();

    /// <summary>The zone loading serve and dump share: settings' zones and exempt lists, with the admin API's journals replayed into every load.</summary>
    public static ZoneLoading CreateLoading(ServerSettings settings, ILogger logger)
    {
        LoadOptions loadOptions = settings.ToLoadOptions();
        return new ZoneLoading(settings.Zones, settings.Exempt, loadOptions, logger)
        {
            LoadTimeout = settings.LoadTimeout,
            Pushed = ZoneLoading.OpenPushedEntries(settings.Zones, loadOptions, settings.Admin.StateDirectory, logger),
        };
    }

    // keyed access: each keys dataset's usage file and journal read before the first snapshot is built
    private static Serving.Keys.KeyAccess OpenKeys(ServerSettings settings, LoadOptions loadOptions, ILogger logger)
    {
        var keys = new Serving.Keys.KeyAccess(settings.Keys.Answers);
        foreach (var spec in settings.Zones.Where(z => Zones.Datasets.DatasetTypes.KindOf(z.Type) == Zones.Datasets.DatasetKind.Keys).DistinctBy(z => z.DatasetKey))
        {
            foreach (string problem in keys.Open(spec.DatasetKey, loadOptions.ResolvePath(spec.Files[0]))) Hosting.Serve.Log.KeyStateLineSkipped(logger, problem);
        }
        return keys;
    }

    /// <summary>A logger factory for startup (before the host): one line per event; <paramref name="allToStandardError"/> when stdout is taken (dump).</summary>
    public static ILoggerFactory CreateLoggerFactory(bool allToStandardError) => LoggerFactory.Create(b => b
        .AddSimpleConsole(ConsoleFormat)
        .AddConsole(o => o.LogToStandardErrorThreshold = allToStandardError ? LogLevel.Trace : LogLevel.Warning));

    /// <summary>The host; run it once.</summary>
    public IHost Build() => _builder.Build();

    /// <inheritdoc />
    public void Dispose()
    {
        Transport.Stop(); // when the host never ran (it stops them itself); stopping twice is harmless
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    // raw signal numbers (PosixSignal names only the portable ones); these are Linux's
    private static readonly PosixSignal SigUsr1 = (PosixSignal)(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 30 : 10);
    private static readonly PosixSignal SigUsr2 = (PosixSignal)(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 31 : 12);

    // One line per event, UTC timestamps; warnings and errors go to stderr like rbldnsd's.
    private static void ConsoleFormat(Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions o)
    {
        o.SingleLine = true;
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss ";
        o.UseUtcTimestamp = true;
    }
}
