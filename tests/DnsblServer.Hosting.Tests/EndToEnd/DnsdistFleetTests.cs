using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Tests.Deploy;
using DnsblServer.Hosting.Tests.Metrics;
using DnsblServer.TestSupport;
using Xunit.Abstractions;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// Issue 14's fleet, all on loopback: the real dnsdist with deploy/dnsdist/dnsdist.conf in front of three
/// DnsblServer processes speaking PROXY v2, their zone files pulled from an rsync daemon (deploy/rsync's
/// rsyncd.conf and dnsbl-pull.sh). Clients 127.0.0.1 and 127.0.0.2 query through dnsdist, which sends to
/// the replicas from 127.0.0.3 (the one trusted proxy), so the replicas' ACL and query log show which
/// client asked only if the header is read. Figures go to the test output.
/// </summary>
public sealed class DnsdistFleetTests(ITestOutputHelper output)
{
    private const string Zone = "bl.example";
    private const int Replicas = 3;
    private static readonly IPAddress Allowed = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Refused = IPAddress.Parse("127.0.0.2");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Run with the shipped policy and with roundrobin, which keeps sending to a dead replica until its health checks fail.</summary>
    [DnsdistTheory]
    [InlineData("leastOutstanding")]
    [InlineData("roundrobin")]
    public void Fleet_RealClientsThroughDnsdist_FailoverAndRejoin_DataByRsync(string policy)
    {
        string root = Directory.CreateTempSubdirectory("dnsbl-fleet-").FullName;
        // world-readable, so the rsync daemon can read the module when it runs as root (it drops to nobody)
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        var cleanup = new List<IDisposable>();
        try
        {
            Run(root, cleanup, policy);
        }
        finally
        {
            for (int i = cleanup.Count - 1; i >= 0; i--) cleanup[i].Dispose();
            Directory.Delete(root, recursive: true);
        }
    }

    private void Run(string root, List<IDisposable> cleanup, string policy)
    {
        // the primary: a list with the RFC 5782 test point, and a global ACL refusing 127.0.0.2
        string primary = Directory.CreateDirectory(Path.Combine(root, "primary")).FullName;
        File.WriteAllText(Path.Combine(primary, "bl.txt"), "$SOA 60 ns.bl.example. hostmaster.bl.example. 1 3600 600 86400 60\n$NS 60 ns.bl.example.\n:127.0.0.2:Listed\n127.0.0.2\n10.1.1.1\n");
        File.WriteAllText(Path.Combine(primary, "acl.txt"), "127.0.0.2 :refuse\n");
        int rsyncPort = FreePorts.Tcp();
        string rsyncConf = Path.Combine(root, "rsyncd.conf");
        File.WriteAllText(rsyncConf, RsyncdConf(primary));
        var rsyncd = Own(cleanup, new FleetProcess(DnsdistFactAttribute.Rsync!, ["--daemon", "--no-detach", $"--config={rsyncConf}", $"--port={rsyncPort}", "--address=127.0.0.1", "--log-file=/dev/stderr"]));

        // three replicas with no data yet: SERVFAIL for the test point, /readyz 503
        var ports = new int[Replicas];
        var metrics = new int[Replicas];
        var admins = new int[Replicas];
        var dirs = new string[Replicas];
        var replicas = new ServerProcess?[Replicas];
        for (int r = 0; r < Replicas; r++)
        {
            ports[r] = FreePorts.UdpAndTcp();
            metrics[r] = FreePorts.Tcp();
            admins[r] = FreePorts.Tcp();
            dirs[r] = Directory.CreateDirectory(Path.Combine(root, $"replica{r + 1}")).FullName;
            replicas[r] = StartReplica(ports[r], metrics[r], admins[r], dirs[r]);
        }
        try
        {
            Assert.Equal(2, Rcode(Ask(Allowed, ports[0], TestPoint)!));   // SERVFAIL
            Assert.Equal(HttpStatusCode.ServiceUnavailable, MetricsScrape.Get(metrics[0], "/readyz").Status);

            int dnsdistPort = FreePorts.UdpAndTcp();
            var dnsdist = Own(cleanup, StartDnsdist(dnsdistPort, ports, policy));
            Assert.True(WaitFor(() => dnsdist.Lines.Any(l => l.Contains("Marking downstream", StringComparison.Ordinal)), Patience), dnsdist.Log);

            // the first pull brings the data to every replica; each then passes dnsdist's health check
            var pull = Stopwatch.StartNew();
            for (int r = 0; r < Replicas; r++) Assert.Equal(0, Pull(rsyncPort, dirs[r]));
            for (int r = 0; r < Replicas; r++)
            {
                int port = ports[r];
                Assert.True(WaitFor(() => Answers(Allowed, port, TestPoint, "127.0.0.2"), Patience), $"replica {r + 1} never served the pulled data:\n" + replicas[r]!.Log);
            }
            output.WriteLine($"first pull to all {Replicas} replicas serving: {pull.Elapsed.TotalSeconds:F2} s");
            Assert.Equal(HttpStatusCode.OK, MetricsScrape.Get(metrics[0], "/readyz").Status);
            Assert.True(WaitFor(() => Answers(Allowed, dnsdistPort, TestPoint, "127.0.0.2"), Patience), dnsdist.Log);

            // the ACL sees the real client: through the same dnsdist, 127.0.0.1 is answered and 127.0.0.2 refused
            string name = "1.1.1.10." + Zone;
            Assert.True(Answers(Allowed, dnsdistPort, name, "127.0.0.2"));
            Assert.Equal(5, Rcode(Ask(Refused, dnsdistPort, name)!));                 // REFUSED
            Assert.True(Answers(Allowed, dnsdistPort, name, "127.0.0.2"));             // from the cache now
            Assert.Equal(5, Rcode(Ask(Refused, dnsdistPort, name)!));                 // never from the cache
            Assert.Equal(5, Rcode(Ask(Refused, dnsdistPort, name, tcp: true)!));      // and over TCP
            Assert.True(Answers(Allowed, dnsdistPort, TestPoint, "127.0.0.2", tcp: true));

            // the query log names the real clients (and the proxy itself only for its LOCAL health checks)
            // (written by the log's own thread, so read until the lines are there)
            string[] log = [];
            bool Logged(string text) => log.Any(l => l.Contains(text, StringComparison.Ordinal));
            WaitFor(() =>
            {
                log = [.. dirs.SelectMany(d => ReadShared(Path.Combine(d, "query.log")))];
                return Logged(" 127.0.0.1 1.1.1.10.bl.example A IN: NOERROR") && Logged(" 127.0.0.2 1.1.1.10.bl.example A IN: REFUSED")
                    && Logged(" 127.0.0.3 2.0.0.127.bl.example A IN: NOERROR");
            }, TimeSpan.FromSeconds(5));
            string seen = string.Join('\n', log.Where(l => l.Contains("1.1.1.10", StringComparison.Ordinal)));
            Assert.True(Logged(" 127.0.0.1 1.1.1.10.bl.example A IN: NOERROR"), seen);
            Assert.True(Logged(" 127.0.0.2 1.1.1.10.bl.example A IN: REFUSED"), seen);
            Assert.True(Logged(" 127.0.0.3 2.0.0.127.bl.example A IN: NOERROR"), string.Join('\n', log.TakeLast(20)));
            Assert.DoesNotContain(log, l => l.Contains(" 127.0.0.3 1.1.1.10", StringComparison.Ordinal));

            // a replica killed (SIGKILL: the kernel then answers dnsdist's queries to it with port unreachable)
            // under a steady stream of distinct, uncacheable queries; leastOutstanding sends an idle fleet's
            // queries to the first replica, so that is the one killed
            int victim = 0;
            var crash = Failover(dnsdist, dnsdistPort, "dnsbl1", tag: 200, () =>
            {
                replicas[victim]!.Signal(9);
                Assert.True(replicas[victim]!.WaitForExit(TimeSpan.FromSeconds(5)));
                replicas[victim]!.Dispose();
                replicas[victim] = null;
            });
            output.WriteLine($"crash ({policy}): {crash}; stream queries logged per replica: {string.Join(", ", dirs.Select(d => ReadShared(Path.Combine(d, "query.log")).Count(l => l.Contains(".200.10.bl.example", StringComparison.Ordinal))))}");

            // the killed replica restarts on its port and dnsdist takes it back
            int restartedAt = dnsdist.Lines.Count();
            replicas[victim] = StartReplica(ports[victim], metrics[victim], admins[victim], dirs[victim]);
            Assert.True(WaitFor(() => Marked(dnsdist, "dnsbl1", "up", restartedAt), Patience), dnsdist.Log);
            var after = new QueryStream(dnsdistPort, Allowed, tag: 201);
            after.Run(TimeSpan.FromSeconds(1));
            Assert.Equal(0, after.Finish().Lost);
            Assert.True(WaitFor(() => ReadShared(Path.Combine(dirs[victim], "query.log")).Any(l => l.Contains(" 127.0.0.1 ", StringComparison.Ordinal) && l.Contains(".201.10.bl.example", StringComparison.Ordinal)), TimeSpan.FromSeconds(5)),
                "the restarted replica answered none of the stream's queries");

            // a replica that hangs (SIGSTOP: its port stays open, nothing answers) is found only by the health checks
            int hung = 1;
            var hang = Failover(dnsdist, dnsdistPort, "dnsbl2", tag: 202, () => replicas[hung]!.Signal(19));
            output.WriteLine($"hang ({policy}): {hang}");
            int resumedAt = dnsdist.Lines.Count();
            replicas[hung]!.Signal(18);   // SIGCONT: it answers its health checks again and rejoins
            Assert.True(WaitFor(() => Marked(dnsdist, "dnsbl2", "up", resumedAt), Patience), dnsdist.Log);

            // a change on the primary reaches every replica through rsync and is served by each and by dnsdist
            File.AppendAllText(Path.Combine(primary, "bl.txt"), "10.9.9.9\n");
            var change = Stopwatch.StartNew();
            for (int r = 0; r < Replicas; r++) Assert.Equal(0, Pull(rsyncPort, dirs[r]));
            var pulled = change.Elapsed;
            for (int r = 0; r < Replicas; r++)
            {
                int port = ports[r];
                Assert.True(WaitFor(() => Answers(Allowed, port, "9.9.9.10." + Zone, "127.0.0.2"), Patience), $"replica {r + 1} never served the change:\n" + replicas[r]!.Log);
            }
            var served = change.Elapsed;
            Assert.True(Answers(Allowed, dnsdistPort, "9.9.9.10." + Zone, "127.0.0.2"));
            output.WriteLine($"change on the primary: pulled by {Replicas} replicas in {pulled.TotalSeconds:F2} s, served by all in {served.TotalSeconds:F2} s (pull by hand, as each replica's timer would)");
            Assert.False(rsyncd.HasExited, rsyncd.Log);

            // a pushed entry reaches every replica by fan-out (deploy/rsync/dnsbl-push.sh) and is served by each
            string tokenFile = Path.Combine(root, "admin-token");
            File.WriteAllText(tokenFile, AdminToken);
            var push = Stopwatch.StartNew();
            using (var fanOut = new FleetProcess("/bin/sh", [Path.Combine(DeployArtifactsTests.Root, "deploy/rsync/dnsbl-push.sh"), "POST", "{\"file\": \"bl.txt\", \"entry\": \"198.51.100.7\"}"],
                       new Dictionary<string, string> { ["DNSBL_REPLICAS"] = string.Join(' ', admins.Select(p => $"http://127.0.0.1:{p}")), ["DNSBL_TOKEN_FILE"] = tokenFile }))
            {
                Assert.True(fanOut.Wait(TimeSpan.FromSeconds(30)) == 0, fanOut.Log);
                if (fanOut.Log.Length > 0) output.WriteLine(fanOut.Log);   // a retried replica says why
            }
            for (int r = 0; r < Replicas; r++) Assert.True(Answers(Allowed, ports[r], "7.100.51.198." + Zone, "127.0.0.2"), $"replica {r + 1} does not serve the pushed entry");
            output.WriteLine($"pushed entry served by all {Replicas} replicas {push.Elapsed.TotalMilliseconds:F0} ms after the fan-out started");
        }
        finally
        {
            foreach (var replica in replicas) replica?.Dispose();
        }
    }

    private static string TestPoint => "2.0.0.127." + Zone;

    /// <summary>
    /// A steady stream through dnsdist: 2 s, then <paramref name="fail"/>, then until dnsdist marks
    /// <paramref name="backend"/> down and 3 s more. Every query sent a second after it was marked down is answered.
    /// </summary>
    private static string Failover(FleetProcess dnsdist, int port, string backend, int tag, Action fail)
    {
        var stream = new QueryStream(port, Allowed, tag);
        stream.Run(TimeSpan.FromSeconds(2));
        var failedAt = stream.Elapsed;
        int before = dnsdist.Lines.Count();
        fail();
        var deadline = Stopwatch.StartNew();
        while (!Marked(dnsdist, backend, "down", before) && deadline.Elapsed < Patience) stream.Run(TimeSpan.FromMilliseconds(20));
        Assert.True(Marked(dnsdist, backend, "down", before), dnsdist.Log);
        var downAt = stream.Elapsed;
        stream.Run(TimeSpan.FromSeconds(3));
        var result = stream.Finish();
        Assert.True(result.Answered > 0);
        int late = result.LostAfter(downAt + TimeSpan.FromSeconds(1));
        Assert.True(late == 0, $"{late} queries lost more than a second after {backend} was marked down");
        return $"{result.Sent} queries at {result.Rate:F0}/s; failed at {failedAt.TotalSeconds:F2} s, marked down {(downAt - failedAt).TotalSeconds:F2} s later; {result.Lost} lost" +
               (result.Lost == 0 ? "" : $", sent from {result.FirstLost!.Value.TotalSeconds:F2} s to {result.LastLost!.Value.TotalSeconds:F2} s (window {result.Window.TotalMilliseconds:F0} ms)");
    }

    private static T Own<T>(List<IDisposable> cleanup, T item) where T : IDisposable
    {
        cleanup.Add(item);
        return item;
    }

    private const string AdminToken = "fleet-test-token-0123456789";

    private static ServerProcess StartReplica(int port, int metricsPort, int adminPort, string dir) => ServerProcess.Start(
        ["-b", $"127.0.0.1/{port}", "-q", "-w", dir, "-l", "+query.log", "-c", "1", $"{Zone}:ip4set:bl.txt", ":acl:acl.txt",
         "--Dnsbl:ProxyProtocol:TrustedProxies:0=127.0.0.3", $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}", "--Dnsbl:UdpLoops=1",
         $"--Dnsbl:Admin:Listen=127.0.0.1:{adminPort}"],
        bind: false, environment: new Dictionary<string, string> { ["DNSBL__ADMIN__TOKEN"] = AdminToken });

    private static FleetProcess StartDnsdist(int port, int[] backends, string policy) => new(DnsdistFactAttribute.Dnsdist!,
        ["--supervised", "--disable-syslog", "-C", Path.Combine(DeployArtifactsTests.Root, "deploy/dnsdist/dnsdist.conf")],
        new Dictionary<string, string>
        {
            ["DNSDIST_LISTEN"] = $"127.0.0.1:{port}",
            ["DNSDIST_ACL"] = "127.0.0.0/8",
            ["DNSBL_BACKENDS"] = string.Join(',', backends.Select(p => $"127.0.0.1:{p}")),
            ["DNSBL_BACKEND_SOURCE"] = "127.0.0.3",
            ["DNSBL_HEALTH_ZONE"] = Zone,
            ["DNSBL_CACHED_CLIENTS"] = "127.0.0.1/32",   // 127.0.0.2 is refused by the replicas' ACL: never shares the cache
            ["DNSDIST_SECURITY_POLL"] = "no",
            ["DNSDIST_POLICY"] = policy,
            ["DNSBL_CHECK_TIMEOUT"] = "1000",   // the shipped 500 ms flaps on a loaded 2-core CI machine
        });

    // deploy/rsync/rsyncd.conf with the test's paths: the module on the temporary primary, loopback clients,
    // no chroot (that needs root); the uid/gid lines only apply when run as root
    private static string RsyncdConf(string primary) => File.ReadAllText(Path.Combine(DeployArtifactsTests.Root, "deploy/rsync/rsyncd.conf"))
        .Replace("path = /var/lib/dnsbl", $"path = {primary}", StringComparison.Ordinal)
        .Replace("hosts allow = 10.0.0.0/24", "hosts allow = 127.0.0.0/8", StringComparison.Ordinal)
        .Replace("use chroot = yes", "use chroot = no", StringComparison.Ordinal);

    private static int Pull(int rsyncPort, string dir)
    {
        using var pull = new FleetProcess("/bin/sh", [Path.Combine(DeployArtifactsTests.Root, "deploy/rsync/dnsbl-pull.sh")], new Dictionary<string, string>
        {
            ["DNSBL_SOURCE"] = $"rsync://127.0.0.1:{rsyncPort}/dnsbl/",
            ["DNSBL_ZONE_DIR"] = dir,
        });
        int code = pull.Wait(TimeSpan.FromSeconds(30));
        Assert.True(code == 0, pull.Log);
        return code;
    }

    // "Marking downstream dnsbl1 (127.0.0.1:PORT) as 'down'" among dnsdist's lines after the first `after`
    private static bool Marked(FleetProcess dnsdist, string name, string state, int after) =>
        dnsdist.Lines.Skip(after).Any(l => l.Contains($"downstream {name} ", StringComparison.Ordinal) && l.Contains($"'{state}'", StringComparison.Ordinal));

    private static IEnumerable<string> ReadShared(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            Thread.Sleep(50);
        }
        return condition();
    }

    private static int Rcode(byte[] answer) => answer[3] & 0x0F;

    /// <summary>Whether <paramref name="name"/> is answered NOERROR with an A record of <paramref name="address"/>.</summary>
    private static bool Answers(IPAddress from, int port, string name, string address, bool tcp = false)
    {
        byte[]? answer = Ask(from, port, name, tcp);
        if (answer is null || Rcode(answer) != 0 || BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)) == 0) return false;
        byte[] rdata = IPAddress.Parse(address).GetAddressBytes();
        return answer.AsSpan().IndexOf(rdata) >= 0;
    }

    /// <summary>One A query from <paramref name="from"/> (a loopback source address), UDP or TCP; null on timeout.</summary>
    private static byte[]? Ask(IPAddress from, int port, string name, bool tcp = false)
    {
        byte[] query = DnsPacket.Query(name, 1, id: (ushort)Random.Shared.Next(ushort.MaxValue));
        using var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp)
        {
            ReceiveTimeout = 2000,
            SendTimeout = 2000,
        };
        socket.Bind(new IPEndPoint(from, 0));
        var buffer = new byte[4096];
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            if (!tcp)
            {
                socket.Send(query);
                return buffer[..socket.Receive(buffer)];
            }
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            socket.Send(framed);
            int got = 0;
            while (got < 2 || got < 2 + BinaryPrimitives.ReadUInt16BigEndian(buffer))
            {
                int n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
                if (n == 0) return null;
                got += n;
            }
            return buffer[2..got];
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
