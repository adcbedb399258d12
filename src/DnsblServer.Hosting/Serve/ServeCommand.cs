using System.Runtime.InteropServices;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Metrics;
using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Sockets;
using DnsblServer.Zones.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// The default verb: load the zones, then answer queries until stopped. Settings come from
/// appsettings.json, DNSBL__* environment variables, --Dnsbl:Key=Value arguments, and rbldnsd's
/// options and zone specs on top, so an rbldnsd command line works unchanged.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ConfigurationArguments(args),
            ContentRootPath = AppContext.BaseDirectory, // appsettings.json beside the binary
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(ConsoleFormat);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Warning);

        SettingsResult result = ServerSettingsLoader.Load(args, builder.Configuration);
        if (result.ShowHelp)
        {
            Console.Out.Write(RbldnsdCommandLine.Usage);
            return 0;
        }
        if (!result.IsSuccess)
        {
            foreach (string error in result.Errors) Console.Error.WriteLine($"DnsblServer: {error}");
            return 2;
        }
        ServerSettings settings = result.Settings;

        var loadOptions = settings.ToLoadOptions();
        // with -d the dump owns stdout, so every log line goes to stderr
        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(ConsoleFormat)
            .AddConsole(o => o.LogToStandardErrorThreshold = settings.Dump ? LogLevel.Trace : LogLevel.Warning));
        var startupLogger = loggerFactory.CreateLogger("DnsblServer");
        var admin = Admin.AdminOptions.Bind(builder.Configuration);
        if (admin.Validate() is { } adminError)
        {
            Console.Error.WriteLine($"DnsblServer: {adminError}");
            return 2;
        }
        var loading = new ZoneLoading(settings.Zones, settings.Exempt, loadOptions, startupLogger)
        {
            Pushed = Admin.PushedEntries.Open(settings.Zones, loadOptions, admin.StateDirectory, startupLogger), // journals replayed into every load
        };
        var first = loading.Load(previous: null);
        if (settings.Dump)
        {
            // rbldnsd -d: the zones as a BIND master file on stdout, then exit
            Dump.ZoneDumper.Dump(first.ZoneSet, Console.Out);
            return first.Succeeded ? 0 : 1;
        }
        if (!first.Succeeded && !settings.Quiet)
        {
            // rbldnsd exits on load errors at start unless -q: a typo must not silently serve nothing
            Console.Error.WriteLine("DnsblServer: zone loading errors, aborting (use -q to start anyway and answer SERVFAIL for those zones)");
            return 1;
        }
        MemoryReclaim.AfterLoad(startupLogger); // the first load's scratch arrays, before serving starts

        using var queryLog = settings.QueryLog is { } log
            ? new Serving.QueryLog.QueryLogWriter(log.IsStandardOutput ? "-" : Path.Combine(settings.WorkingDirectory ?? "", log.Path), log.Unbuffered)
            : null;
        // counted only when something reads the counts (metrics listener, -s)
        var counters = settings.MetricsListen is not null || settings.StatsFile is not null ? new QueryCounters(first.ZoneSet.Zones.Count) : null;
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
        }, first.ZoneSet) { QueryLog = queryLog, Counters = counters };
        var transport = new TransportServer(processor, new TransportOptions
        {
            Endpoints = [.. settings.Listen.Where(e => !(settings.IPv4Only && e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                                                    && !(settings.IPv6Only && e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))],
            UdpLoopsPerEndpoint = settings.UdpLoopsPerEndpoint,
            EnableTcp = settings.Tcp.Enabled,
            TcpIdleTimeout = settings.Tcp.IdleTimeout,
            MaxTcpConnections = settings.Tcp.MaxConnections,
        });

        builder.Services.AddSingleton(loading);
        builder.Services.AddSingleton(processor);
        builder.Services.AddSingleton(transport);
        int zoneCount = first.ZoneSet.Zones.Count; // not `first` in the lambda: that would keep the first load's data alive for good
        builder.Services.AddHostedService(sp => new DnsServerService(transport, zoneCount, settings.UdpLoopsPerEndpoint, sp.GetRequiredService<ILogger<DnsServerService>>()));
        var metrics = settings.MetricsListen is null ? null : new DnsblMetrics(processor, counters!, transport, pushed: loading.Pushed);
        if (settings.MetricsListen is { } metricsListen)
        {
            builder.Services.AddHostedService(sp => new MetricsServer(metricsListen, metrics!, processor, sp.GetRequiredService<ILogger<MetricsServer>>(), sp.GetServices<ILoggerProvider>()));
        }
        var stats = settings.StatsFile is not { } statsTarget ? null : new StatsFile(
            Path.Combine(settings.WorkingDirectory ?? "", statsTarget.Path), statsTarget.Relative, counters!, processor, settings.CheckInterval,
            loggerFactory.CreateLogger<StatsFile>());
        if (stats is not null) builder.Services.AddHostedService(_ => stats);
        var reloader = new ZoneReloadService(loading, processor, settings.CheckInterval, loggerFactory.CreateLogger<ZoneReloadService>());
        builder.Services.AddHostedService(_ => reloader);
        builder.Services.AddHostedService(sp => new Admin.AdminApi(admin, loading, processor, reloader, sp.GetRequiredService<ILogger<Admin.AdminApi>>(), sp.GetServices<ILoggerProvider>()));
        SystemdReadiness.AddIfRequested(builder.Services); // READY=1 once the listeners are bound

        // file changes are picked up within a second; the -c interval stays as the fallback
        // (-c 0 means reload on SIGHUP only, as in rbldnsd: no watching either)
        using var watcher = settings.CheckInterval <= TimeSpan.Zero ? null : new ZoneFileWatcher(
            settings.Zones.SelectMany(z => z.Files).Concat(settings.Exempt.SelectMany(e => e.Files)).Select(loadOptions.ResolvePath),
            TimeSpan.FromMilliseconds(500),
            reloader.RequestReload);

        // SIGHUP means "check the files now" (and reopen the query log, for rotation), never "exit";
        // registered before the listeners open so an early HUP cannot kill the server.
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            queryLog?.Reopen();
            reloader.RequestReload();
        });

        // rbldnsd -s: SIGUSR1 writes a statistics line and logs the counters, SIGUSR2 also resets them
        using var usr1 = stats is null || OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(SigUsr1, context =>
        {
            context.Cancel = true;
            stats.OnUsr1();
        });
        using var usr2 = stats is null || OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(SigUsr2, context =>
        {
            context.Cancel = true;
            stats.OnUsr2();
        });

        if (settings.PidFile is { } pidFile) await File.WriteAllTextAsync(pidFile, Environment.ProcessId + "\n").ConfigureAwait(false);
        try
        {
            using var host = builder.Build();
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"DnsblServer: {e.Message}");
            return 1;
        }
        finally
        {
            if (settings.PidFile is { } pid) File.Delete(pid);
        }
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

    // Only --Key=Value / --Key Value arguments are configuration; the rest is rbldnsd's command line.
    internal static string[] ConfigurationArguments(string[] args)
    {
        var result = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i] == "--") continue;
            if (args[i] is "--help") continue;
            result.Add(args[i]);
            if (!args[i].Contains('=') && i + 1 < args.Length) result.Add(args[++i]);
        }
        return [.. result];
    }
}
