using System.Diagnostics;
using System.Text;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// Zone files replaced again and again under a steady stream of queries to the real binary:
/// every query is answered, every answer comes from one version of the data, and the last
/// version is what is served at the end.
/// </summary>
public sealed class ReloadUnderLoadTests
{
    private static string Version(int v)
    {
        // Every version lists 10.0.0.1 with A 127.0.0.v and TXT "version v": an answer that mixed
        // versions would show an A and a TXT that disagree. 20,000 more lines make each load take a while.
        var text = new StringBuilder($"$SOA 60 ns.bl.test hm.bl.test {v} 1 1 1 1 30\n:127.0.0.{v}:version {v}\n10.0.0.1\n");
        for (int i = 0; i < 20000; i++) text.Append($"10.{1 + i / 65536}.{(i >> 8) & 255}.{i & 255}\n");
        return text.ToString();
    }

    [Fact]
    public async Task EveryQueryIsAnsweredFromOneVersionWhileFilesAreSwapped()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", Version(1));
        using var server = ServerProcess.Start(["-w", dir.Path, "bl.test:ip4set:bl"]); // file watching picks up each rename
        var client = new RawDnsClient(server.Port, TimeSpan.FromSeconds(2));
        byte[] query = Query("1.0.0.10.bl.test", 255);
        int answered = 0, unanswered = 0, mixed = 0;
        var versions = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>(); // written by the asking task
        using var stop = new CancellationTokenSource();

        var asking = Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                var response = client.Send(query);
                if (response is null)
                {
                    unanswered++;
                    continue;
                }
                answered++;
                var message = RawDnsClient.Parse(response);
                var a = message.AnswerRecords.OfType<ARSoft.Tools.Net.Dns.ARecord>().Single();
                var txt = string.Concat(message.AnswerRecords.OfType<ARSoft.Tools.Net.Dns.TxtRecord>().Single().TextParts);
                int version = a.Address.GetAddressBytes()[3];
                if (txt != $"version {version}") mixed++;
                versions[version] = true;
            }
        });

        for (int v = 2; v <= 8; v++)
        {
            await Task.Delay(700);
            dir.Write("bl", Version(v)); // written beside and renamed into place
        }
        var deadline = Stopwatch.StartNew();
        while (!versions.ContainsKey(8) && deadline.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        stop.Cancel();
        await asking;

        Assert.Equal(0, unanswered);
        Assert.Equal(0, mixed);
        Assert.True(answered > 500, $"only {answered} answers");
        Assert.True(versions.ContainsKey(8));
        Assert.True(versions.Count >= 3, $"versions seen: {string.Join(',', versions.Keys.Order())}");
        Assert.False(server.HasExited);
    }
}
