using System.Net;
using System.Net.Http;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Hosting.Tests.Admin;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Keys;

/// <summary>
/// Keyed zones on the real binary over real UDP and TCP with a real client (ARSoft): known keys answer like the
/// unkeyed zone in any case, unknown and missing keys and keys past their quota get the codes, an unlimited key
/// is never cut, a revoked key stops at once, counts survive a restart, the keys file reloads, the admin API
/// lists usage, the metrics count by result and the query log shows the key.
/// </summary>
public sealed class KeyedZoneEndToEndTests : IDisposable
{
    private const string Data = "$SOA 60 ns.dq.test hm.dq.test 1 1 1 1 30\n$NS 60 ns.dq.test\n:127.0.0.2:Listed $\n192.0.2.1\n";
    private readonly ZoneDirectory _dir = new();

    public KeyedZoneEndToEndTests()
    {
        _dir.Write("bl", Data);
        _dir.Write("keys.txt", "# customer keys\nCustA 3\nbig\n");
    }

    public void Dispose() => _dir.Dispose();

    private string[] Args(params string[] extra) => ["-n", "-c", "1", "-w", _dir.Path, "dq.test:ip4set:bl", "dq.test:keys:keys.txt", "bl.test:ip4set:bl", .. extra];

    private static DnsMessage Ask(AdminServer server, string name, RecordType type, bool tcp)
    {
        IClientTransport transport = tcp ? new TcpClientTransport(server.Process.Port) : new UdpClientTransport(server.Process.Port);
        var client = new DnsClient([IPAddress.Loopback], [transport], true, 5000);
        return client.Resolve(ARSoft.Tools.Net.DomainName.Parse(name), type) ?? throw new TimeoutException($"{name} {type}: no answer");
    }

    // rcode, then every answer record as "owner TYPE data"
    private static string Show(DnsMessage reply) => string.Join(" | ", new[] { reply.ReturnCode.ToString() }.Concat(reply.AnswerRecords.Select(r => r switch
    {
        ARecord a => $"{a.Name} A {a.Address}",
        TxtRecord t => $"{t.Name} TXT {string.Concat(t.TextParts)}",
        _ => r.ToString(),
    })));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeysAnswerLikeTheUnkeyedZoneOrGetTheirCodes(bool tcp)
    {
        using var server = AdminServer.Start(Args());
        // a known key, any case: the unkeyed zone's answer, owner as asked
        Assert.Equal("NoError | 1.2.0.192.custa.dq.test. A 127.0.0.2", Show(Ask(server, "1.2.0.192.custa.dq.test", RecordType.A, tcp)));
        Assert.Equal("NoError | 1.2.0.192.CuStA.dq.test. TXT Listed 192.0.2.1", Show(Ask(server, "1.2.0.192.CuStA.dq.test", RecordType.Txt, tcp)));
        Assert.Equal("NxDomain", Show(Ask(server, "2.2.0.192.BIG.dq.test", RecordType.A, tcp)));
        Assert.Equal(Show(Ask(server, "1.2.0.192.bl.test", RecordType.Txt, tcp)).Replace("bl.test", "big.dq.test"), Show(Ask(server, "1.2.0.192.big.dq.test", RecordType.Txt, tcp)));
        // unknown and missing keys
        Assert.Equal("NoError | 1.2.0.192.nokey.dq.test. A 127.255.255.254", Show(Ask(server, "1.2.0.192.nokey.dq.test", RecordType.A, tcp)));
        Assert.Equal("NoError | 1.2.0.192.NoKey.dq.test. TXT access key not known", Show(Ask(server, "1.2.0.192.NoKey.dq.test", RecordType.Txt, tcp)));
        Assert.Equal("NoError | 1.2.0.192.dq.test. A 127.255.255.254", Show(Ask(server, "1.2.0.192.dq.test", RecordType.A, tcp)));
        Assert.Equal(60, Ask(server, "1.2.0.192.nokey.dq.test", RecordType.A, tcp).AnswerRecords[0].TimeToLive);
        // the apex without a key
        Assert.Single(Ask(server, "dq.test", RecordType.Soa, tcp).AnswerRecords.OfType<SoaRecord>());
        // custa has a quota of 3 (two used above): the third is answered, the fourth is not
        Assert.Equal("NoError | 1.2.0.192.custa.dq.test. A 127.0.0.2", Show(Ask(server, "1.2.0.192.custa.dq.test", RecordType.A, tcp)));
        Assert.Equal("NoError | 1.2.0.192.custa.dq.test. A 127.255.255.255", Show(Ask(server, "1.2.0.192.custa.dq.test", RecordType.A, tcp)));
        Assert.Equal("NoError | 1.2.0.192.CUSTA.dq.test. TXT daily query quota of this access key exceeded", Show(Ask(server, "1.2.0.192.CUSTA.dq.test", RecordType.Txt, tcp)));
        // an unlimited key is never cut
        for (int i = 0; i < 200; i++) Assert.Equal("NoError | 1.2.0.192.big.dq.test. A 127.0.0.2", Show(Ask(server, "1.2.0.192.big.dq.test", RecordType.A, tcp)));
    }

    [Fact]
    public async Task RevokedKeysStopAtOnceAndTheAdminApiAndMetricsShowUsage()
    {
        int metricsPort = FreePorts.Tcp();
        string log = Path.Combine(_dir.Path, "queries.log");
        using var server = AdminServer.Start(Args("-l", "+" + log, $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}", "--Dnsbl:Keys:PerKeyMetrics=true", "--Dnsbl:Keys:MaxKeySeries=1"));
        Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.Big.dq.test", RecordType.A));
        Assert.Equal("127.255.255.254", server.Answer("1.2.0.192.nope.dq.test", RecordType.A));

        // revoke: the very next query is refused
        var (status, body, _) = server.Send(HttpMethod.Delete, "/v1/keys", """{"key": "BIG"}""");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("127.255.255.254", server.Answer("1.2.0.192.big.dq.test", RecordType.A));
        // add: the very next query is served
        (status, body, _) = server.Send(HttpMethod.Post, "/v1/keys", """{"key": "NewCust", "queriesPerDay": 5, "file": "keys.txt"}""");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.newcust.dq.test", RecordType.A));
        Assert.Equal(HttpStatusCode.NotFound, server.Send(HttpMethod.Delete, "/v1/keys", """{"key": "never"}""").Status);
        Assert.Equal(HttpStatusCode.BadRequest, server.Send(HttpMethod.Post, "/v1/keys", """{"key": "a.b"}""").Status);

        (status, body, _) = server.Send(HttpMethod.Get, "/v1/keys");
        Assert.Equal(HttpStatusCode.OK, status);
        var dataset = body.GetProperty("datasets")[0];
        Assert.Equal("keys:keys.txt", dataset.GetProperty("dataset").GetString());
        var keys = dataset.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!);
        Assert.Equal(["custa", "newcust"], keys.Keys.Order());
        Assert.Equal(3, keys["custa"].GetProperty("queriesPerDay").GetInt64());
        Assert.Equal(0, keys["custa"].GetProperty("today").GetInt64());
        Assert.Equal(1, keys["newcust"].GetProperty("today").GetInt64());
        Assert.True(keys["newcust"].GetProperty("pushed").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, keys["newcust"].GetProperty("lastSeen").ValueKind);

        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        Assert.Contains("dnsbl_key_queries_total{zone=\"dq.test\",result=\"ok\"} 2", metrics);
        Assert.Contains("dnsbl_key_queries_total{zone=\"dq.test\",result=\"unknown_key\"} 2", metrics);
        Assert.Contains("dnsbl_key_queries_total{zone=\"dq.test\",result=\"over_quota\"} 0", metrics);
        Assert.Contains("dnsbl_key_queries_today{dataset=\"keys:keys.txt\",key=\"newcust\"} 1", metrics);
        Assert.DoesNotContain("key=\"custa\"", metrics); // capped at one series: the key used most today
        Assert.Single(metrics.Split('\n'), l => l.StartsWith("dnsbl_key_queries_today{", StringComparison.Ordinal));
        Assert.Contains("result=\"key_refused\"", metrics);

        // the query log shows the key as asked
        Assert.True(SpinWait.SpinUntil(() => File.Exists(log) && File.ReadAllText(log).Contains("1.2.0.192.newcust.dq.test"), 5000), "query log: " + (File.Exists(log) ? File.ReadAllText(log) : "none"));
        Assert.Contains("1.2.0.192.Big.dq.test", File.ReadAllText(log));
    }

    [Fact]
    public void CountsAndPushedKeysSurviveARestart()
    {
        using (var server = AdminServer.Start(Args()))
        {
            Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.custa.dq.test", RecordType.A));
            Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.custa.dq.test", RecordType.A));
            Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Post, "/v1/keys", """{"key": "pushed1", "queriesPerDay": 1}""").Status);
            Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.pushed1.dq.test", RecordType.A));
        } // SIGTERM: the usage is saved at shutdown
        Assert.True(File.Exists(_dir.GetPath("keys.txt.usage")));
        Assert.True(File.Exists(_dir.GetPath("keys.txt.journal")));
        using (var server = AdminServer.Start(Args()))
        {
            Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.custa.dq.test", RecordType.A));       // the third of 3
            Assert.Equal("127.255.255.255", server.Answer("1.2.0.192.custa.dq.test", RecordType.A)); // the fourth
            Assert.Equal("127.255.255.255", server.Answer("1.2.0.192.pushed1.dq.test", RecordType.A)); // pushed, and its 1 used
        }
    }

    [Fact]
    public void UsageIsSavedWhileRunningAndTheKeysFileReloads()
    {
        using var server = AdminServer.Start(Args("--Dnsbl:Keys:SaveInterval=1"));
        Assert.Equal("127.255.255.254", server.Answer("1.2.0.192.later.dq.test", RecordType.A));
        Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.custa.dq.test", RecordType.A));
        Assert.True(SpinWait.SpinUntil(() => File.Exists(_dir.GetPath("keys.txt.usage")) && File.ReadAllText(_dir.GetPath("keys.txt.usage")).Contains("custa "), 5000));

        _dir.Write("keys.txt", "custa 3\nlater 10\n");
        Assert.True(SpinWait.SpinUntil(() => server.Answer("1.2.0.192.later.dq.test", RecordType.A) == "127.0.0.2", 10_000), "the new keys file was not served");
        Assert.Equal("127.255.255.254", server.Answer("1.2.0.192.big.dq.test", RecordType.A));
        // a file that fails to load (truncated gzip) keeps the old keys
        _dir.WriteBytes("keys.txt", [0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]);
        Assert.True(server.Process.WaitForLine(l => l.Contains("keys:keys.txt: load failed, keeping the previous data"), TimeSpan.FromSeconds(10)), server.Process.Log);
        Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.later.dq.test", RecordType.A));
    }
}
