using DnsblServer.Hosting.Metrics;
using DnsblServer.Hosting.Serve;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsblServer.Hosting.Tests.Serve;

/// <summary>A hung read no longer holds every later reload; a shrink refused by the guard is visible and can be accepted once.</summary>
public sealed class LoadGuardTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set(); // never leave a loader thread blocked
        _release.Dispose();
        _dir.Dispose();
    }

    private (ZoneLoading Loading, QueryProcessor Processor) Start(TimeSpan loadTimeout, Action<string>? beforeRead = null)
    {
        var options = new LoadOptions { WorkingDirectory = _dir.Path };
        ZoneSpec[] specs = [ZoneSpec.Parse("bl.test:ip4set:bl")];
        var loading = new ZoneLoading(specs, [], options, NullLogger.Instance) { LoadTimeout = loadTimeout, BeforeRead = beforeRead };
        var processor = new QueryProcessor(new ResolverOptions(), loading.Load(null).ZoneSet);
        return (loading, processor);
    }

    [Fact]
    public void AHungReadIsReportedStalledAndLaterReloadsDoNotWaitForIt()
    {
        _dir.Write("bl", "192.0.2.1\n");
        bool block = false;
        var (loading, processor) = Start(TimeSpan.FromMilliseconds(300), _ => { if (Volatile.Read(ref block)) _release.Wait(); });
        Volatile.Write(ref block, true);
        var hung = new Thread(() => loading.Reload(processor, force: true)) { IsBackground = true };
        hung.Start();
        Thread.Sleep(700);

        var stalled = loading.Stalled();
        Assert.NotNull(stalled);
        Assert.Equal("ip4set:bl", stalled.Value.Dataset);
        Assert.Equal(1, loading.StalledLoads);
        var (status, body) = Readiness.Check(processor.Zones, stalled);
        Assert.Equal(503, status);
        Assert.Contains("load of ip4set:bl stalled since", body);

        // a later reload (SIGHUP, timer, POST /v1/reload) answers at once instead of waiting for good
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<LoadStalledException>(() => loading.Reload(processor));
        Assert.StartsWith("a load is still running (stalled", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        var reloader = new ZoneReloadService(loading, processor, TimeSpan.Zero, NullLogger<ZoneReloadService>.Instance);
        _dir.Write("bl", "192.0.2.2\n", DateTime.UtcNow.AddMinutes(1));
        var check = new Thread(reloader.CheckOnce) { IsBackground = true };
        check.Start();
        Assert.True(check.Join(TimeSpan.FromSeconds(5)), "the reload service waited on the stalled load");
        Assert.Equal(1, loading.StalledLoads); // one stalled load, counted once

        // the read comes back: the next reload runs normally
        Volatile.Write(ref block, false);
        _release.Set();
        Assert.True(hung.Join(TimeSpan.FromSeconds(10)));
        Assert.Null(loading.Stalled());
        loading.Reload(processor);
        Assert.Equal(200, Readiness.Check(processor.Zones, loading.Stalled()).Status);
    }

    [Fact]
    public async Task TheReloadServiceStopsWaitingForAStalledLoadAndShutsDown()
    {
        _dir.Write("bl", "192.0.2.1\n", DateTime.UtcNow.AddMinutes(-10));
        bool block = false;
        var (loading, processor) = Start(TimeSpan.FromMilliseconds(300), _ => { if (Volatile.Read(ref block)) _release.Wait(); });
        Volatile.Write(ref block, true);
        using var reloader = new ZoneReloadService(loading, processor, TimeSpan.Zero, NullLogger<ZoneReloadService>.Instance);
        await reloader.StartAsync(CancellationToken.None);
        _dir.Write("bl", "192.0.2.2\n", DateTime.UtcNow.AddMinutes(-5));
        reloader.RequestReload();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (loading.Stalled() is null && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.NotNull(loading.Stalled());

        // a SIGHUP while stalled: the service is not stuck on the hung load, and shutdown does not wait for it
        reloader.RequestReload();
        await Task.Delay(1500);
        var stop = reloader.StopAsync(CancellationToken.None);
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.Equal(1, loading.StalledLoads);
    }

    [Fact]
    public void ARefusedShrinkIsNamedByReadyzAndAcceptedOnce()
    {
        _dir.Write("bl", string.Concat(Enumerable.Range(1, 200).Select(i => $"10.0.{i}.1\n")), DateTime.UtcNow.AddMinutes(-10));
        var (loading, processor) = Start(TimeSpan.FromMinutes(10));
        _dir.Write("bl", "192.0.2.1\n192.0.2.2\n", DateTime.UtcNow.AddMinutes(-5));

        loading.Reload(processor);
        var bl = processor.Zones.Datasets["ip4set:bl"];
        Assert.Equal(LoadDiagnosticKind.ShrinkRefused, bl.LastError?.Kind);
        Assert.Equal(200L, bl.Dataset!.EntryCount);
        var (status, body) = Readiness.Check(processor.Zones, loading.Stalled());
        Assert.Equal(200, status); // the old data is served
        Assert.StartsWith("ready; shrink refused, previous data served: ip4set:bl", body);

        loading.Reload(processor); // unchanged files, guard still on: still refused
        Assert.Equal(200L, processor.Zones.Datasets["ip4set:bl"].Dataset!.EntryCount);

        loading.Reload(processor, acceptShrink: key => key == "ip4set:bl");
        bl = processor.Zones.Datasets["ip4set:bl"];
        Assert.Null(bl.LastError);
        Assert.Equal(2L, bl.Dataset!.EntryCount);
        Assert.Equal((200, "ready\n"), Readiness.Check(processor.Zones, null));
    }
}
