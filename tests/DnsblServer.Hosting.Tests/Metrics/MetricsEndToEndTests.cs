using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary>
/// The real binary with <c>--Dnsbl:Metrics:Listen</c>: a known set of queries over UDP and TCP, then
/// /metrics scraped and every counter checked to the exact value; /healthz and /readyz as zones
/// load, fail and recover; promtool's lint on a real scrape.
/// </summary>
public sealed class MetricsEndToEndTests : IDisposable
{
    private const string Zone = "$SOA 60 ns.bl.test hm.bl.test 7 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n";
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServerProcess Start(int metricsPort, params string[] args) =>
        ServerProcess.Start(["-n", "-w", _dir.Path, $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}", "--Dnsbl:UdpLoops=1", .. args]);

    private static byte[] AskTcp(int port, byte[] query)
    {
        using var tcp = new TcpClient();
        tcp.Connect(IPAddress.Loopback, port);
        using var stream = tcp.GetStream();
        byte[] frame = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)query.Length);
        query.CopyTo(frame, 2);
        stream.Write(frame);
        byte[] length = new byte[2];
        stream.ReadExactly(length);
        byte[] response = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        stream.ReadExactly(response);
        return response;
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (condition()) return;
            Thread.Sleep(100);
        }
        Assert.Fail("timed out waiting for: " + what);
    }

    [Fact]
    public void CountsAKnownSetOfQueriesExactly()
    {
        _dir.Write("bl", Zone);
        _dir.Write("big", string.Concat(Enumerable.Range(0, 4).Select(i => $"big TXT {new string((char)('a' + i), 200)}\n")));
        int metricsPort = FreePorts.Tcp();
        using var server = Start(metricsPort, "bl.test:ip4set:bl", "g.test:generic:big");
        var client = new RawDnsClient(server.Port);

        long udpIn = 0, udpOut = 0;
        void Ask(byte[] query)
        {
            byte[] response = client.Send(query) ?? throw new TimeoutException("no answer");
            udpIn += query.Length;
            udpOut += response.Length;
        }
        Ask(Query("1.2.0.192.bl.test", 1));
        Ask(Query("1.2.0.192.bl.test", 16));
        Ask(Query("9.2.0.192.bl.test", 1));
        Ask(Query("bl.test", 6));
        Ask(Query("x.other", 1));
        Ask(Query("version.bind", 16, ClassCh));
        Ask(Query("1.2.0.192.bl.test", 65000));
        Ask(Query("1.2.0.192.bl.test", 1, edns: new Edns(Version: 1)));
        Ask(Query("big.g.test", 16));
        using (var raw = new UdpClient())
        {
            raw.Send([1, 2, 3, 4, 5], 5, new IPEndPoint(IPAddress.Loopback, server.Port)); // too short: dropped
            udpIn += 5;
        }
        Ask(Query("1.2.0.192.bl.test", 1)); // answered after the drop was counted: one UDP loop reads one socket in order
        byte[] tcpQuery = Query("1.2.0.192.bl.test", 1);
        byte[] tcpResponse = AskTcp(server.Port, tcpQuery);

        Dictionary<string, double> m = [];
        Eventually(() => (m = MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body))
            .GetValueOrDefault("dnsbl_tcp_connections_open", -1) == 0 && m.ContainsKey("dnsbl_queries_total{zone=\"\",qtype=\"\",result=\"dropped\"}"), "the TCP connection closed and the drop counted");

        var expected = new Dictionary<string, double>
        {
            ["dnsbl_queries_total{zone=\"bl.test\",qtype=\"A\",result=\"listed\"}"] = 3, // 2 UDP + 1 TCP
            ["dnsbl_queries_total{zone=\"bl.test\",qtype=\"TXT\",result=\"listed\"}"] = 1,
            ["dnsbl_queries_total{zone=\"bl.test\",qtype=\"A\",result=\"not_listed\"}"] = 1,
            ["dnsbl_queries_total{zone=\"bl.test\",qtype=\"SOA\",result=\"listed\"}"] = 1,
            ["dnsbl_queries_total{zone=\"g.test\",qtype=\"TXT\",result=\"listed\"}"] = 1,
            ["dnsbl_queries_total{zone=\"\",qtype=\"A\",result=\"refused\"}"] = 1,
            ["dnsbl_queries_total{zone=\"\",qtype=\"TXT\",result=\"version\"}"] = 1,
            ["dnsbl_queries_total{zone=\"\",qtype=\"OTHER\",result=\"notimp\"}"] = 1,
            ["dnsbl_queries_total{zone=\"\",qtype=\"A\",result=\"badvers\"}"] = 1,
            ["dnsbl_queries_total{zone=\"\",qtype=\"\",result=\"dropped\"}"] = 1,
            ["dnsbl_responses_total{rcode=\"NOERROR\"}"] = 7,
            ["dnsbl_responses_total{rcode=\"NXDOMAIN\"}"] = 1,
            ["dnsbl_responses_total{rcode=\"REFUSED\"}"] = 1,
            ["dnsbl_responses_total{rcode=\"SERVFAIL\"}"] = 0,
            ["dnsbl_responses_total{rcode=\"FORMERR\"}"] = 0,
            ["dnsbl_responses_total{rcode=\"NOTIMP\"}"] = 1,
            ["dnsbl_responses_total{rcode=\"BADVERS\"}"] = 1,
            ["dnsbl_received_bytes_total{transport=\"udp\"}"] = udpIn,
            ["dnsbl_sent_bytes_total{transport=\"udp\"}"] = udpOut,
            ["dnsbl_received_bytes_total{transport=\"tcp\"}"] = tcpQuery.Length,
            ["dnsbl_sent_bytes_total{transport=\"tcp\"}"] = tcpResponse.Length,
            ["dnsbl_dropped_packets_total{reason=\"too_short\"}"] = 1,
            ["dnsbl_dropped_packets_total{reason=\"response\"}"] = 0,
            ["dnsbl_truncated_responses_total"] = 1,
            ["dnsbl_tcp_connections_open"] = 0,
            ["dnsbl_tcp_connections_total"] = 1,
            ["dnsbl_transport_udp_errors_total"] = 0,
            ["dnsbl_transport_tcp_errors_total"] = 0,
            ["dnsbl_transport_tcp_rejected_total"] = 0,
            ["dnsbl_transport_tcp_timeouts_total"] = 0,
            ["dnsbl_tcp_evicted_total"] = 0,
            ["dnsbl_tcp_query_deadlines_total"] = 0,
            ["dnsbl_tcp_accept_errors_total"] = 0,
            ["dnsbl_zone_loaded{zone=\"bl.test\"}"] = 1,
            ["dnsbl_zone_loaded{zone=\"g.test\"}"] = 1,
            ["dnsbl_zone_serial{zone=\"bl.test\"}"] = 7,
            ["dnsbl_dataset_entries{dataset=\"ip4set:bl\",type=\"ip4set\"}"] = 1,
            ["dnsbl_dataset_load_failures_total{dataset=\"ip4set:bl\"}"] = 0,
            ["dnsbl_dataset_last_load_failed{dataset=\"ip4set:bl\"}"] = 0,
        };
        foreach (var (sample, value) in expected) Assert.True(m.TryGetValue(sample, out double actual) && actual == value, $"{sample}: expected {value}, got {(m.TryGetValue(sample, out actual) ? actual : "none")}");
        // nothing counted that the queries did not cause
        Assert.Equal(12, m.Where(kv => kv.Key.StartsWith("dnsbl_queries_total{", StringComparison.Ordinal)).Sum(kv => kv.Value));
        Assert.Equal(11, m.Where(kv => kv.Key.StartsWith("dnsbl_responses_total{", StringComparison.Ordinal)).Sum(kv => kv.Value));
        Assert.InRange(m["dnsbl_dataset_last_success_timestamp_seconds{dataset=\"ip4set:bl\"}"], DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Contains("process_cpu_seconds_total", m.Keys);
        Assert.Contains(m.Keys, k => k.StartsWith("dotnet_collection_count_total", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadyOnlyWhenEveryZoneIsServed()
    {
        _dir.Write("bl", Zone);
        int metricsPort = FreePorts.Tcp();
        // -q: start although "late.test" has no file yet; it answers SERVFAIL until the file comes.
        // -c 0: loads only on SIGHUP, so each load (and each failure) is one the test asked for
        using var server = Start(metricsPort, "-q", "-c", "0", "bl.test:ip4set:bl", "late.test:ip4set:late");

        Assert.Equal((HttpStatusCode.OK, "ok\n"), MetricsScrape.Get(metricsPort, "/healthz"));
        var (status, body) = MetricsScrape.Get(metricsPort, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not ready: late.test\n", body);
        var m = MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body);
        Assert.Equal(0, m["dnsbl_zone_loaded{zone=\"late.test\"}"]);
        Assert.Equal(1, m["dnsbl_zone_loaded{zone=\"bl.test\"}"]);
        Assert.Equal(1, m["dnsbl_dataset_last_load_failed{dataset=\"ip4set:late\"}"]);
        Assert.Equal(1, m["dnsbl_dataset_load_failures_total{dataset=\"ip4set:late\"}"]);
        Assert.DoesNotContain("dnsbl_dataset_last_success_timestamp_seconds{dataset=\"ip4set:late\"}", m.Keys);

        _dir.Write("late", "192.0.2.9\n");
        server.Signal(1);
        Eventually(() => MetricsScrape.Get(metricsPort, "/readyz") == (HttpStatusCode.OK, "ready\n"), "readyz 200 once late.test loads");
        m = MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body);
        Assert.Equal(1, m["dnsbl_zone_loaded{zone=\"late.test\"}"]);
        Assert.Equal(0, m["dnsbl_dataset_last_load_failed{dataset=\"ip4set:late\"}"]);
        Assert.Equal(1, m["dnsbl_dataset_load_failures_total{dataset=\"ip4set:late\"}"]);

        // a reload that fails keeps the old data serving: still ready, and the metrics say the load failed
        _dir.Write("bl", "$TIMESTAMP 2037:01:01\n192.0.2.9\n");
        server.Signal(1);
        Eventually(() => MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body)
            .GetValueOrDefault("dnsbl_dataset_last_load_failed{dataset=\"ip4set:bl\"}") == 1, "the failed reload in the metrics");
        m = MetricsScrape.Parse(MetricsScrape.Get(metricsPort, "/metrics").Body);
        Assert.Equal(1, m["dnsbl_dataset_load_failures_total{dataset=\"ip4set:bl\"}"]);
        Assert.Equal(1, m["dnsbl_zone_loaded{zone=\"bl.test\"}"]);
        Assert.Equal((HttpStatusCode.OK, "ready\n"), MetricsScrape.Get(metricsPort, "/readyz"));
        Assert.Equal(HttpStatusCode.NotFound, MetricsScrape.Get(metricsPort, "/nothing").Status);
    }

    [PromtoolFact]
    public void PromtoolAcceptsAScrape()
    {
        Assert.True(PromtoolFactAttribute.Path is not null, "promtool is required when CI is set: apt-get install --no-install-recommends prometheus");
        _dir.Write("bl", Zone);
        int metricsPort = FreePorts.Tcp();
        using var server = Start(metricsPort, "-q", "bl.test:ip4set:bl", "missing.test:ip4set:missing");
        var client = new RawDnsClient(server.Port);
        client.Send(Query("1.2.0.192.bl.test", 1));
        client.Send(Query("x.other", 1));
        client.Send(Query("1.missing.test", 1));
        string scrape = MetricsScrape.Get(metricsPort, "/metrics").Body;

        var info = new ProcessStartInfo(PromtoolFactAttribute.Path!, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(info)!;
        promtool.StandardInput.Write(scrape);
        promtool.StandardInput.Close();
        string output = promtool.StandardOutput.ReadToEnd() + promtool.StandardError.ReadToEnd();
        Assert.True(promtool.WaitForExit(30_000), "promtool did not finish");
        Assert.True(promtool.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics: exit {promtool.ExitCode}\n{output}\n--- scrape ---\n{scrape}");
        Assert.Contains("dnsbl_queries_total{zone=\"missing.test\",qtype=\"A\",result=\"servfail\"} 1", scrape);
    }
}
