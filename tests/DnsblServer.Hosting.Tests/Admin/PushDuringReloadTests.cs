using DnsblServer.Hosting.Admin;
using DnsblServer.Hosting.Serve;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Journal;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Logging.Abstractions;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>Pushes racing full reloads: every push is served as soon as it returns, and no reload ever publishes without it.</summary>
public sealed class PushDuringReloadTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task NoPushIsLostToAConcurrentReload()
    {
        _dir.Write("bl", "192.0.2.1\n");
        var options = new LoadOptions { WorkingDirectory = _dir.Path };
        ZoneSpec[] specs = [ZoneSpec.Parse("bl.test:ip4set:bl")];
        var pushed = ZoneSetLoader.OpenPushedEntries(specs, options, null);
        var loading = new ZoneLoading(specs, [], options, NullLogger.Instance) { Pushed = pushed };
        var processor = new QueryProcessor(new ResolverOptions(), loading.Load(null).ZoneSet);
        var journal = pushed.Journal("ip4set:bl")!;
        bool Listed(uint address) => !((Ip4Dataset)processor.Zones.Datasets["ip4set:bl"].Dataset!).Lookup(address).IsEmpty;

        const int Pushes = 300, Reloads = 40;
        var reloads = Task.Run(() =>
        {
            var stamp = DateTime.UtcNow.AddMinutes(-10);
            for (int i = 0; i < Reloads; i++)
            {
                _dir.Write("bl", $"192.0.2.1\n10.0.{i}.1\n", stamp.AddSeconds(i));
                loading.Reload(processor);
            }
        });
        for (int i = 0; i < Pushes; i++)
        {
            Assert.True(JournalChange.TryCreate(true, $"198.51.{i / 256}.{i % 256}", ":127.0.0.3:pushed", out var change, out string? error), error);
            loading.PublishChange(processor, () => pushed.Append(journal, change));
            Assert.True(Listed(0xC6330000u + (uint)i), $"push {i} not served when it returned");
        }
        await reloads;
        for (int i = 0; i < Pushes; i++) Assert.True(Listed(0xC6330000u + (uint)i), $"push {i} lost");
        Assert.True(Listed(0x0A000001u + ((Reloads - 1u) << 8))); // the last file is served
        Assert.Equal(Pushes, journal.Changes.Count);
        Assert.Equal(Pushes, File.ReadAllLines(journal.Path).Length);
    }
}
