using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Transport;
using static DnsblServer.Serving.Tests.Transport.TestClient;

namespace DnsblServer.Serving.Tests.Transport;

public sealed class UdpServerTests
{
    private static UdpServer Start(IQueryProcessor processor, string address, int loops = 2)
    {
        var server = new UdpServer(processor, new TransportOptions
        {
            Endpoints = [AnyPort(address)],
            UdpLoopsPerEndpoint = loops,
            SocketReceiveBufferBytes = 256 * 1024,
        });
        server.Start();
        return server;
    }

    [Theory]
    [MemberData(nameof(Loopbacks), MemberType = typeof(TestClient))]
    public void RoundTrip_AnswersEchoWithQrSet(string address)
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, address);
        using var client = UdpClient(server.LocalEndpoints[0]);

        var query = Query(0x1234);
        var answer = UdpRoundTrip(client, query);

        Assert.Equal(query.Length, answer.Length);
        Assert.Equal(0x1234, Id(answer));
        Assert.True(IsResponse(answer));
        Assert.Equal(query[3..], answer[3..]);
        Assert.True(processor.Transports.TryPeek(out var transport));
        Assert.Equal(TransportKind.Udp, transport);
        // A loop counts an answer after sendto returns, which may be just after the client has it.
        Assert.True(Eventually(() => server.Snapshot() is { UdpReceived: 1, UdpAnswered: 1 }));
    }

    [Theory]
    [MemberData(nameof(Loopbacks), MemberType = typeof(TestClient))]
    public void ClientAddress_IsSeenByTheProcessor(string address)
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, address);
        using var client = UdpClient(server.LocalEndpoints[0]);

        UdpRoundTrip(client, Query(1));

        Assert.True(processor.Clients.TryPeek(out var seen));
        Assert.Equal(IPAddress.Parse(address).GetAddressBytes(), seen);
    }

    [Theory]
    [MemberData(nameof(Loopbacks), MemberType = typeof(TestClient))]
    public async Task ManyConcurrentClients_AllAnswered_AcrossLoops(string address)
    {
        const int clients = 16, queriesEach = 100;
        var processor = new EchoProcessor();
        using var server = Start(processor, address, loops: 4);
        var endpoint = server.LocalEndpoints[0];

        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(() =>
        {
            using var client = UdpClient(endpoint);
            for (int q = 0; q < queriesEach; q++)
            {
                ushort id = (ushort)(c * 1000 + q);
                Assert.Equal(id, Id(UdpRoundTrip(client, Query(id))));
            }
        })).ToArray();

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(Eventually(() => server.Snapshot().UdpAnswered == clients * queriesEach));
        if (OperatingSystem.IsLinux())
        {
            // SO_REUSEPORT hashes the 4-tuple; 16 clients all landing on one of 4 sockets has odds of 4^-15.
            Assert.True(server.Loops.Count(l => l.Received > 0) >= 2, "the kernel did not spread packets across loops");
        }
    }

    [Fact]
    public void PortZero_AllLoopsShareTheResolvedPort()
    {
        using var server = Start(new EchoProcessor(), "127.0.0.1", loops: 4);

        int port = server.LocalEndpoints[0].Port;
        Assert.NotEqual(0, port);
        Assert.Equal(4, server.Loops.Count);
        Assert.All(server.Loops, l => Assert.Equal(port, ((IPEndPoint)l.Socket.LocalEndPoint!).Port));
        if (OperatingSystem.IsLinux())
            Assert.Equal(4, server.Loops.Select(l => l.Socket).Distinct().Count());
    }

    [Fact]
    public void TwoEndpoints_IPv4AndIPv6_BothAnswer()
    {
        using var server = new UdpServer(new EchoProcessor(), new TransportOptions
        {
            Endpoints = [AnyPort("127.0.0.1"), AnyPort("::1")],
            UdpLoopsPerEndpoint = 2,
        });
        server.Start();

        foreach (var endpoint in server.LocalEndpoints)
        {
            using var client = UdpClient(endpoint);
            Assert.Equal(7, Id(UdpRoundTrip(client, Query(7))));
        }

        Assert.Equal(4, server.Loops.Count);
    }

    [Theory]
    [InlineData(EchoProcessor.DropId, "dropped")]
    [InlineData(EchoProcessor.ThrowId, "error")]
    [InlineData(0, "garbage")]
    public void BadQuery_GetsNoAnswer_AndTheLoopGoesOn(ushort id, string kind)
    {
        // One loop, so the bad packet and the next query surely meet the same thread.
        var processor = new EchoProcessor();
        using var server = Start(processor, "127.0.0.1", loops: 1);
        using var client = UdpClient(server.LocalEndpoints[0]);
        client.ReceiveTimeout = 300;

        client.Send(kind == "garbage" ? [1, 2, 3] : Query(id));
        var e = Assert.Throws<SocketException>(() => client.Receive(new byte[512]));
        Assert.Equal(SocketError.TimedOut, e.SocketErrorCode);

        client.ReceiveTimeout = ClientTimeoutMs;
        Assert.Equal(42, Id(UdpRoundTrip(client, Query(42))));
        Assert.True(Eventually(() => server.Snapshot().UdpAnswered == 1));
        var counters = server.Snapshot();
        Assert.Equal(2, counters.UdpReceived);
        Assert.Equal(kind == "error" ? 1 : 0, counters.UdpErrors);
        Assert.Equal(kind == "error" ? 0 : 1, counters.UdpDropped);
    }

    [Fact]
    public void SteadyState_AllocatesNothingPerPacket()
    {
        const int warmup = 500, measured = 2000;
        var probe = new long[warmup + measured + 1];
        var processor = new EchoProcessor { AllocationProbe = probe };
        using var server = Start(processor, "127.0.0.1", loops: 1);
        using var client = UdpClient(server.LocalEndpoints[0]);
        var query = Query(9);
        var buffer = new byte[512];

        for (int i = 0; i < probe.Length; i++)
        {
            client.Send(query);
            client.Receive(buffer);
        }

        // Between these two calls the loop received, answered and sent 2000 packets.
        Assert.Equal(0, probe[warmup + measured] - probe[warmup]);
    }

    [Fact]
    public void Stop_ReturnsPromptly_AndEveryLoopThreadEnds()
    {
        var server = new UdpServer(new EchoProcessor(), new TransportOptions
        {
            Endpoints = [AnyPort("127.0.0.1"), AnyPort("::1")],
            UdpLoopsPerEndpoint = 4,
        });
        server.Start();
        using (var client = UdpClient(server.LocalEndpoints[0]))
            UdpRoundTrip(client, Query(1));

        var watch = Stopwatch.StartNew();
        server.Stop();
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {watch.Elapsed}");
        Assert.All(server.Loops, l => Assert.False(l.Thread.IsAlive));
        Assert.Equal(1, server.Snapshot().UdpAnswered);
        server.Stop();   // idempotent
    }

    [Fact]
    public void Start_OnAPortInUse_ThrowsNamingTheEndpoint_AndLeavesNothingBound()
    {
        // A socket without SO_REUSEPORT holds the port, so the server's first bind must fail.
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(AnyPort("127.0.0.1"));
        var taken = (IPEndPoint)holder.LocalEndPoint!;
        using var server = new UdpServer(new EchoProcessor(), new TransportOptions { Endpoints = [taken], UdpLoopsPerEndpoint = 2 });

        var e = Assert.Throws<InvalidOperationException>(server.Start);

        Assert.Contains(taken.ToString(), e.Message);
        Assert.Empty(server.Loops);
    }
}
