using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Transport;
using static DnsblServer.Serving.Tests.Transport.ProxyHeaders;
using static DnsblServer.Serving.Tests.Transport.TestClient;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>PROXY v2 over real loopback sockets: the processor sees the header's client; the rest is dropped and counted.</summary>
public sealed class ProxyTransportTests
{
    private static TransportServer Start(IQueryProcessor processor, string trusted, int queryMs = 5000)
    {
        var server = new TransportServer(processor, new TransportOptions
        {
            Endpoints = [AnyPort("127.0.0.1")],
            UdpLoopsPerEndpoint = 1,
            SocketReceiveBufferBytes = 256 * 1024,
            TcpQueryTimeout = TimeSpan.FromMilliseconds(queryMs),
            TrustedProxies = [IPNetwork.Parse(trusted)],
        });
        server.Start();
        return server;
    }

    private static string LastClient(EchoProcessor processor) => new IPAddress(processor.Clients.Last()).ToString();

    [Fact]
    public void Udp_FromTheTrustedProxy_TheHeaderNamesTheClient()
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, "127.0.0.1/32");
        using var client = UdpClient(server.LocalEndpoints[0]);

        byte[] query = Query(0x4242);
        byte[] answer = UdpRoundTrip(client, Concat(Proxy("198.51.100.7"), query));
        Assert.Equal(0x4242, Id(answer));
        Assert.Equal(query.Length, answer.Length);   // the answer carries no header back
        Assert.Equal("198.51.100.7", LastClient(processor));

        UdpRoundTrip(client, Concat(Proxy("2001:db8::7", tlvs: [0x04, 0x00, 0x01, 0x00]), Query(2)));
        Assert.Equal("2001:db8::7", LastClient(processor));

        UdpRoundTrip(client, Concat(Local(), Query(3)));   // dnsdist's health check: the proxy itself
        Assert.Equal("127.0.0.1", LastClient(processor));
    }

    [Fact]
    public void Udp_FromTheTrustedProxy_WithoutAValidHeader_IsDroppedAndCounted()
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, "127.0.0.1/32");
        using var client = UdpClient(server.LocalEndpoints[0]);

        client.Send(Query(1));                                          // no header
        client.Send(Concat(Raw(0x21, 0x02, []), Query(2)));              // PROXY, AF_UNSPEC
        client.Send(Proxy("198.51.100.7")[..20]);                       // cut
        Assert.Equal(4, Id(UdpRoundTrip(client, Concat(Proxy("198.51.100.7"), Query(4)))));   // one loop: in order

        Assert.Equal(1, processor.Calls);
        Assert.True(Eventually(() => server.Snapshot() is { UdpProxyInvalid: 3, UdpProxyUntrusted: 0, UdpReceived: 4 }));
    }

    [Fact]
    public void Udp_AHeaderFromAnUntrustedPeer_IsDropped_PlainQueriesAreAnswered()
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, "10.0.0.0/8");
        using var client = UdpClient(server.LocalEndpoints[0]);

        client.Send(Concat(Proxy("198.51.100.7"), Query(1)));
        Assert.Equal(2, Id(UdpRoundTrip(client, Query(2))));

        Assert.Equal("127.0.0.1", LastClient(processor));
        Assert.Equal(1, processor.Calls);
        Assert.True(Eventually(() => server.Snapshot() is { UdpProxyUntrusted: 1, UdpProxyInvalid: 0 }));
    }

    [Fact]
    public void Tcp_FromTheTrustedProxy_TheHeaderNamesTheClientOfEveryQuery()
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, "127.0.0.0/8");
        using var client = TcpClient(server.LocalEndpoints[0]);

        // the header, the first query and half of the second in one write; the rest later
        byte[] frames = Frame(Query(1), Query(2));
        client.Send(Concat(Proxy("203.0.113.9", transport: 1), frames[..(frames.Length - 5)]));
        Assert.Equal(1, Id(ReadFrame(client)));
        Thread.Sleep(50);
        client.Send(frames[^5..]);
        Assert.Equal(2, Id(ReadFrame(client)));

        Assert.All(processor.Clients, c => Assert.Equal("203.0.113.9", new IPAddress(c).ToString()));
        Assert.Equal(2, processor.Calls);
    }

    [Fact]
    public void Tcp_AHeaderSentByteByByte_IsReadWhole()
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, "127.0.0.1/32");
        using var client = TcpClient(server.LocalEndpoints[0]);

        foreach (byte b in Proxy("2001:db8::99", transport: 1))
            client.Send([b]);
        client.Send(Frame(Query(5)));

        Assert.Equal(5, Id(ReadFrame(client)));
        Assert.Equal("2001:db8::99", LastClient(processor));
    }

    [Theory]
    [InlineData("no header")]
    [InlineData("unspec")]
    [InlineData("late")]
    public void Tcp_FromTheTrustedProxy_WithoutAValidHeaderInTime_IsClosedAndCounted(string kind)
    {
        var processor = new EchoProcessor();
        using var server = Start(processor, "127.0.0.1/32", queryMs: 300);
        using var client = TcpClient(server.LocalEndpoints[0]);

        client.Send(kind switch
        {
            "no header" => Frame(Query(1)),
            "unspec" => Concat(Raw(0x21, 0x01, []), Frame(Query(1))),
            _ => Proxy("198.51.100.7", transport: 1)[..20],
        });

        Assert.True(ServerCloses(client));
        Assert.Equal(0, processor.Calls);
        Assert.True(Eventually(() => server.Snapshot() is { TcpProxyInvalid: 1, TcpConnectionsOpen: 0 }));
    }

    [Fact]
    public void Tcp_AHeaderFromAnUntrustedPeer_IsClosedAndCounted_PlainQueriesAreAnswered()
    {
        var processor = new EchoProcessor { RecordClients = true };
        using var server = Start(processor, "10.0.0.0/8");

        using (var proxied = TcpClient(server.LocalEndpoints[0]))
        {
            proxied.Send(Concat(Proxy("198.51.100.7", transport: 1), Frame(Query(1))));
            Assert.True(ServerCloses(proxied));
        }

        using var plain = TcpClient(server.LocalEndpoints[0]);
        plain.Send(Frame(Query(2)));
        Assert.Equal(2, Id(ReadFrame(plain)));
        Assert.Equal("127.0.0.1", LastClient(processor));
        Assert.True(Eventually(() => server.Snapshot() is { TcpProxyUntrusted: 1, TcpProxyInvalid: 0 }));
    }

    [Fact]
    public void Udp_SteadyState_WithAHeader_AllocatesNothingPerPacket()
    {
        const int warmup = 500, measured = 2000;
        var probe = new long[warmup + measured + 1];
        var processor = new EchoProcessor { AllocationProbe = probe };
        using var server = Start(processor, "127.0.0.1/32");
        using var client = UdpClient(server.Udp.LocalEndpoints[0]);
        byte[] datagram = Concat(Proxy("2001:db8::7"), Query(9));
        var buffer = new byte[512];

        for (int i = 0; i < probe.Length; i++)
        {
            client.Send(datagram);
            client.Receive(buffer);
        }

        Assert.Equal(0, probe[warmup + measured] - probe[warmup]);
    }
}
