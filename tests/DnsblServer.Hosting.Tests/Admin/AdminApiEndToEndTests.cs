using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net.Dns;
using DnsblServer.TestSupport;
using Xunit.Abstractions;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>
/// Pushed updates against the real binary: whole-file uploads (validated, atomic), single entries
/// (served at once, journaled, replayed after a restart, folded when the file carries them), status.
/// </summary>
public sealed class AdminApiEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string File4 = "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n$NS 60 ns.bl.test\n:127.0.0.2:Listed $\n192.0.2.1\n10.0.0.0/8\n";
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Args => ["-n", "-c", "1", "-w", _dir.Path, "bl.test:ip4set:bl", "six.test:ip6trie:six"];

    private static string V6(string hex) => string.Join('.', hex.Reverse()) + ".six.test";

    [Fact]
    public void ABadUploadChangesNothingAndAGoodOneIsServedAtOnce()
    {
        _dir.Write("bl", File4);
        _dir.Write("six", "2001:db8::/32\n");
        using var server = AdminServer.Start(Args);
        byte[] before = File.ReadAllBytes(_dir.GetPath("bl"));
        var stampBefore = _dir.GetModified("bl");

        // a bad line: refused with file:line, nothing written
        var (status, body, _) = server.Send(HttpMethod.Put, "/v1/files?path=bl", "192.0.2.50\nnot-an-address\n");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("bl:2: invalid address", body.ToString());
        // a file that fails to load ($TIMESTAMP in the future): refused even with warnings allowed
        (status, body, _) = server.Send(HttpMethod.Put, "/v1/files?path=bl&allowWarnings=true", "$TIMESTAMP 2037:01:01\n192.0.2.50\n");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("bl:1", body.ToString());
        Assert.Equal(before, File.ReadAllBytes(_dir.GetPath("bl")));
        Assert.Equal(stampBefore, _dir.GetModified("bl"));
        Assert.Equal(["bl", "six"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal("Listed 192.0.2.1", server.Answer("1.2.0.192.bl.test"));
        Assert.Equal("NXDOMAIN", server.Answer("50.2.0.192.bl.test"));

        // a good file: written, reloaded and served by the time the response comes
        string good = "$SOA 60 ns.bl.test hm.bl.test 2 1 1 1 30\n:127.0.0.4:New $\n192.0.2.50\n";
        (status, body, _) = server.Send(HttpMethod.Put, "/v1/files?path=bl", good);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("datasets")[0].GetProperty("entries").GetInt32());
        Assert.Equal("New 192.0.2.50", server.Answer("50.2.0.192.bl.test"));
        Assert.Equal("NXDOMAIN", server.Answer("1.2.0.192.bl.test"));
        Assert.Equal(good, File.ReadAllText(_dir.GetPath("bl")));
        Assert.Equal(["bl", "six"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());

        // status names every dataset with its history; reload answers with the last load
        (status, body, _) = server.Send(HttpMethod.Get, "/v1/status");
        Assert.Equal(HttpStatusCode.OK, status);
        var bl = body.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("key").GetString() == "ip4set:bl");
        Assert.Equal(2u, bl.GetProperty("serial").GetUInt32());
        Assert.Equal(0, bl.GetProperty("failureCount").GetInt32());
        Assert.Equal(JsonValueKindNumber, bl.GetProperty("lastDurationSeconds").ValueKind);
        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Post, "/v1/reload").Status);

        // a broken file put in place behind the API's back: status shows the error with file:line
        _dir.Write("bl", "$TIMESTAMP 2037:01:01\n192.0.2.9\n");
        (status, body, _) = server.Send(HttpMethod.Post, "/v1/reload");
        Assert.Equal(HttpStatusCode.OK, status);
        bl = server.Send(HttpMethod.Get, "/v1/status").Body.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("key").GetString() == "ip4set:bl");
        Assert.Equal(1, bl.GetProperty("failureCount").GetInt32());
        Assert.Equal(1, bl.GetProperty("lastError").GetProperty("line").GetInt32());
        Assert.Equal("New 192.0.2.50", server.Answer("50.2.0.192.bl.test"));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNumber = System.Text.Json.JsonValueKind.Number;

    [Fact]
    public void FoldingKeepsAChangeAnotherChangeDependsOn()
    {
        _dir.Write("bl", File4);
        _dir.Write("six", "2001:db8::/32\n");
        using var server = AdminServer.Start(Args);
        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Post, "/v1/entries", """{"file":"bl","entry":"198.51.100.0/24"}""").Status);
        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Delete, "/v1/entries", """{"file":"bl","entry":"198.51.100.128/25"}""").Status);
        Assert.Equal("127.0.0.2", server.Answer("1.100.51.198.bl.test", RecordType.A));
        Assert.Equal("NXDOMAIN", server.Answer("200.100.51.198.bl.test", RecordType.A));

        // the same file again: the file alone lists nothing in 198.51.100.128/25, but the remove still
        // carves it out of the pushed /24, so it must stay
        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Put, "/v1/files?path=bl", File4).Status);
        Assert.Equal("NXDOMAIN", server.Answer("200.100.51.198.bl.test", RecordType.A));
        Assert.Equal("127.0.0.2", server.Answer("1.100.51.198.bl.test", RecordType.A));
        Assert.Equal(2, server.Send(HttpMethod.Get, "/v1/entries?file=bl").Body.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public void EntriesAreServedWithinASecondAndSurviveARestart()
    {
        _dir.Write("bl", File4);
        _dir.Write("six", "2001:db8::/32 :127.0.0.2:v6\n");
        using (var server = AdminServer.Start(Args))
        {
            Assert.Equal("NXDOMAIN", server.Answer("7.2.0.192.bl.test"));
            TimeSpan Served(HttpMethod method, string json, Func<bool> served)
            {
                var clock = Stopwatch.StartNew();
                var (status, body, _) = server.Send(method, "/v1/entries", json);
                Assert.True(status == HttpStatusCode.OK, body.ToString());
                while (!served())
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "not served within a second: " + json);
                    Thread.Sleep(5);
                }
                output.WriteLine($"{json}: served {clock.Elapsed.TotalMilliseconds:F1} ms after the request was sent");
                return clock.Elapsed;
            }
            Served(HttpMethod.Post, """{"file":"bl","entry":"192.0.2.7","value":":127.0.0.3:Pushed $"}""", () => server.Answer("7.2.0.192.bl.test") == "Pushed 192.0.2.7");
            Served(HttpMethod.Delete, """{"file":"bl","entry":"10.1.0.0/16"}""", () => server.Answer("3.2.1.10.bl.test", RecordType.A) == "NXDOMAIN");
            Served(HttpMethod.Post, """{"dataset":"ip6trie:six","entry":"2001:db9::1"}""", () => server.Answer(V6("20010db9000000000000000000000001"), RecordType.A) == "127.0.0.2");
            Served(HttpMethod.Delete, """{"file":"six","entry":"2001:db8:1::/48"}""", () => server.Answer(V6("20010db8000100000000000000000001"), RecordType.A) == "NXDOMAIN");
            Assert.Equal("127.0.0.2", server.Answer("3.2.2.10.bl.test", RecordType.A)); // the rest of 10/8 is untouched

            // refused entries
            Assert.Equal(HttpStatusCode.BadRequest, server.Send(HttpMethod.Post, "/v1/entries", """{"file":"bl","entry":"2001:db8::1"}""").Status);
            Assert.Equal(HttpStatusCode.BadRequest, server.Send(HttpMethod.Post, "/v1/entries", """{"file":"bl","entry":"192.0.2.7/24"}""").Status);
            Assert.Equal(HttpStatusCode.BadRequest, server.Send(HttpMethod.Post, "/v1/entries", """{"file":"bl","entry":"192.0.2.7","value":":0:x"}""").Status);
            Assert.Equal(HttpStatusCode.NotFound, server.Send(HttpMethod.Post, "/v1/entries", """{"file":"other","entry":"192.0.2.7"}""").Status);

            var list = server.Send(HttpMethod.Get, "/v1/entries?file=bl").Body;
            Assert.Equal(["+ 192.0.2.7/32 :127.0.0.3:Pushed $", "- 10.1.0.0/16"], list.GetProperty("changes").EnumerateArray().Select(e => e.GetString()));
        }
        Assert.Equal("+ 192.0.2.7/32 :127.0.0.3:Pushed $\n- 10.1.0.0/16\n", File.ReadAllText(_dir.GetPath("bl.journal")));

        // a restart, this time without a token: the journals are replayed after the load
        int metricsPort = FreePorts.Tcp();
        using (var server = AdminServer.Start(Args, token: false, extra: $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}"))
        {
            Assert.True(server.Process.WaitForLine(l => l.Contains("admin API off"), TimeSpan.FromSeconds(10)));
            var samples = Metrics.MetricsScrape.Parse(Metrics.MetricsScrape.Get(metricsPort, "/metrics").Body);
            Assert.Equal(2, samples["dnsbl_journal_changes{dataset=\"ip4set:bl\"}"]);
            Assert.Equal(new FileInfo(_dir.GetPath("bl.journal")).Length, samples["dnsbl_journal_bytes{dataset=\"ip4set:bl\"}"]);
            Assert.Contains(server.Process.Output, l => l.Contains("2 pushed change(s) replayed"));
            Assert.Equal("Pushed 192.0.2.7", server.Answer("7.2.0.192.bl.test"));
            Assert.Equal("NXDOMAIN", server.Answer("3.2.1.10.bl.test", RecordType.A));
            Assert.Equal("127.0.0.2", server.Answer(V6("20010db9000000000000000000000001"), RecordType.A));
            Assert.Equal("NXDOMAIN", server.Answer(V6("20010db8000100000000000000000001"), RecordType.A));
            Assert.Throws<HttpRequestException>(() => server.Send(HttpMethod.Get, "/v1/status"));
        }

        // the file catches up with one change: that change leaves the journal, the other keeps applying
        using (var server = AdminServer.Start(Args))
        {
            string newer = File4 + "192.0.2.7 :127.0.0.3:Pushed $\n";
            Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Put, "/v1/files?path=bl", newer).Status);
            var list = server.Send(HttpMethod.Get, "/v1/entries?file=bl").Body;
            Assert.Equal(["- 10.1.0.0/16"], list.GetProperty("changes").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("- 10.1.0.0/16\n", File.ReadAllText(_dir.GetPath("bl.journal")));
            Assert.Equal("NXDOMAIN", server.Answer("3.2.1.10.bl.test", RecordType.A));
            Assert.Equal("Pushed 192.0.2.7", server.Answer("7.2.0.192.bl.test"));

            // a revert forgets the pushed remove: the file answers again
            Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Delete, "/v1/entries", """{"file":"bl","entry":"10.1.0.0/16","revert":true}""").Status);
            Assert.Equal("127.0.0.2", server.Answer("3.2.1.10.bl.test", RecordType.A));
            Assert.Empty(server.Send(HttpMethod.Get, "/v1/entries?file=bl").Body.GetProperty("changes").EnumerateArray());
        }
    }
}
