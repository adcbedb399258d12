using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsblServer.TestSupport;
using Xunit.Abstractions;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// The real binary under <c>ulimit -n 256</c> (soft and hard, so .NET cannot raise it), attacked
/// over TCP as in issue 11: it must keep answering UDP and new TCP clients, and never exit.
/// </summary>
public sealed class DescriptorLimitTests(ITestOutputHelper output) : IDisposable
{
    private const int Limit = 256;
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ThousandTcpConnections_UnderUlimit256_DoNotStopUdpOrANewTcpClient()
    {
        using var server = StartServer();
        // about 140 descriptors are open at start (116 of them assemblies), so 256 leaves the floor of 8
        Assert.True(server.WaitForLine(l => l.Contains("Dnsbl:Tcp:MaxConnections 1024 lowered to 8:"), TimeSpan.FromSeconds(5)), server.Log);
        long rssBefore = RssMegabytes(server);

        var clients = new List<Socket>();
        try
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);
            for (int i = 0; i < 1_000; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(socket);
                try
                {
                    socket.Connect(endpoint);
                    socket.Send([0xFF]);   // the first byte of a 64 KiB length prefix, as the attacker did
                }
                catch (SocketException)
                {
                    // evicted (reset) before the byte went out: what the cap is for
                }

                if (i % 100 == 99)
                    Assert.False(server.HasExited, $"exited after {i + 1} connections:\n{server.Log}");
            }

            long rssDuring = RssMegabytes(server);
            Assert.False(server.HasExited, server.Log);
            Assert.Equal(ReturnCode.NoError, Ask(server.Port, "1.2.0.192.bl.test", tcp: false).ReturnCode);
            Assert.Equal(ReturnCode.NoError, Ask(server.Port, "1.2.0.192.bl.test", tcp: true).ReturnCode);
            output.WriteLine($"RSS before {rssBefore} MB, with 1,000 connections {rssDuring} MB");
        }
        finally
        {
            foreach (var socket in clients)
                socket.Dispose();
        }

        Thread.Sleep(3_000);
        output.WriteLine($"RSS 3 s after closing them {RssMegabytes(server)} MB");
        Assert.False(server.HasExited, server.Log);
        Assert.Equal(ReturnCode.NoError, Ask(server.Port, "1.2.0.192.bl.test", tcp: true).ReturnCode);
        Assert.DoesNotContain("Out of memory", server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowlorisConnections_DoNotKeepANewTcpClientOut_AndATrickledFrameIsCut()
    {
        using var server = StartServer("--Dnsbl:Tcp:QueryTimeout=2s");
        var endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);

        // one frame fed a byte every 300 ms: cut by the 2 s whole-query deadline, not kept by each byte
        using var trickle = Connect(endpoint);
        var watch = Stopwatch.StartNew();
        byte[] frame = [0, 40, .. new byte[40]];
        bool cut = false;
        for (int i = 0; i < frame.Length && !cut && watch.Elapsed < TimeSpan.FromSeconds(10); i++)
        {
            cut = !TrySend(trickle, frame[i]) || trickle.Poll(0, SelectMode.SelectRead);
            Thread.Sleep(300);
        }
        Assert.True(cut, "a trickled frame outlived the 2 s query deadline");
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 5);

        // 150 connections (over the cap of 8), each sending one byte a second, reconnecting when cut
        var slow = Enumerable.Range(0, 150).Select(_ => Connect(endpoint)).ToList();
        try
        {
            for (int second = 0; second < 5; second++)
            {
                for (int i = 0; i < slow.Count; i++)
                {
                    if (!TrySend(slow[i], 0xFF))
                    {
                        slow[i].Dispose();
                        slow[i] = Connect(endpoint);
                    }
                }

                Assert.Equal(ReturnCode.NoError, Ask(server.Port, "1.2.0.192.bl.test", tcp: true).ReturnCode);
                Thread.Sleep(1_000);
            }
        }
        finally
        {
            foreach (var socket in slow)
                socket.Dispose();
        }

        Assert.False(server.HasExited, server.Log);
    }

    private ServerProcess StartServer(params string[] extra)
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        return ServerProcess.Start(["-n", "-w", _dir.Path, .. extra, "bl.test:ip4set:bl"], descriptorLimit: Limit);
    }

    private static Socket Connect(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException)
        {
            // refused or reset at once: the next TrySend reports it
        }
        return socket;
    }

    private static bool TrySend(Socket socket, byte value)
    {
        try
        {
            return socket.Connected && socket.Send([value]) == 1;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static DnsMessage Ask(int port, string name, bool tcp)
    {
        IClientTransport transport = tcp ? new TcpClientTransport(port) : new UdpClientTransport(port);
        var client = new DnsClient([IPAddress.Loopback], [transport], true, 5000);
        return client.Resolve(DomainName.Parse(name), RecordType.A) ?? throw new TimeoutException($"{name}: no answer over {(tcp ? "TCP" : "UDP")}");
    }

    private static long RssMegabytes(ServerProcess server)
    {
        string status = File.ReadAllText($"/proc/{server.ProcessId}/status");
        string line = status.Split('\n').First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }
}
