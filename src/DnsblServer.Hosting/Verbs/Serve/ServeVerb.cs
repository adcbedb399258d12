using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Serve;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Verbs.Serve;

/// <summary>
/// The default verb: load the zones, then answer queries until stopped. Three steps: settings
/// (<see cref="SettingsPipeline"/>, as every verb), the first load, composition (<see cref="ServeComposition"/>),
/// then run. An rbldnsd command line works unchanged; with <c>-d</c> it dumps instead (<see cref="Dump.DumpVerb"/>).
/// </summary>
internal static class ServeVerb
{
    /// <summary>The registry entry (the default verb).</summary>
    public static Verb Verb { get; } = new(
        "serve",
        "answer queries (the default when no verb is given: an rbldnsd command line works as is)",
        ReadSettings,
        RunAsync);

    /// <summary>Settings from appsettings.json, environment and arguments; a listen address is required (unless -d).</summary>
    public static SettingsResult ReadSettings(string[] args, SettingsSources sources) => SettingsPipeline.Build(args, listenRequired: true, sources);

    /// <summary>Serves until stopped; exit 0, 1 (zones failed to load, an address cannot be bound) or 2 (bad settings).</summary>
    public static async Task<int> RunAsync(string[] args, VerbContext context)
    {
        SettingsResult result = ReadSettings(args, context.Sources);
        if (context.Report(result, RbldnsdCommandLine.Usage) is { } exit) return exit;
        ServerSettings settings = result.Settings!;
        if (settings.Dump) return Dump.DumpVerb.Run(settings, context); // rbldnsd -d

        using var loggerFactory = ServeComposition.CreateLoggerFactory(allToStandardError: false);
        var startupLogger = loggerFactory.CreateLogger("DnsblServer");
        var loading = ServeComposition.CreateLoading(settings, startupLogger);
        MemoryReclaim.PageOutCodeInBackground(); // reading the settings is done with: the load's peak need not hold that code too
        var first = loading.Load(previous: null);
        if (!first.Succeeded && !settings.Quiet)
        {
            // rbldnsd exits on load errors at start unless -q: a typo must not silently serve nothing
            context.Error.WriteLine("DnsblServer: zone loading errors, aborting (use -q to start anyway and answer SERVFAIL for those zones)");
            return 1;
        }
        // the first load's scratch arrays, before serving starts (5-8 ms on a quiet machine): collected later, they
        // stayed resident under the host's own start and raised the peak by as much
        MemoryReclaim.AfterLoad(startupLogger, pageOut: false);

        using var composition = new ServeComposition(settings, result.Configuration, loading, first, loggerFactory);
        return await RunAsync(composition, settings, context).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(ServeComposition composition, ServerSettings settings, VerbContext context)
    {
        try
        {
            // bound here, before the host: "address in use" is one line and exit 1, as rbldnsd's, not the host's stack
            composition.Transport.Start();
        }
        catch (InvalidOperationException e) when (e.InnerException is System.Net.Sockets.SocketException)
        {
            context.Error.WriteLine($"DnsblServer: {e.Message}");
            return 1;
        }
        if (settings.PidFile is { } pidFile)
        {
            try
            {
                await File.WriteAllTextAsync(pidFile, Environment.ProcessId + "\n").ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"DnsblServer: -p {pidFile}: {e.Message}");
                return 1;
            }
        }
        try
        {
            composition.StartWatchingFiles(); // after the sockets answer: it waits for a thread to start
            using var host = composition.Build();
            // the start's code (configuration, hosting, Kestrel) is done with once everything listens
            host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(MemoryReclaim.PageOutCode);
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        finally
        {
            if (settings.PidFile is { } pid) File.Delete(pid);
        }
    }
}
