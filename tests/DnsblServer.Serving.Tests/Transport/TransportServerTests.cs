using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Serving.Transport;
using static DnsblServer.Serving.Tests.Transport.TestClient;

namespace DnsblServer.Serving.Tests.Transport;

public sealed class TransportServerTests
{
    [Theory]
    [MemberData(nameof(Loopbacks), MemberType = typeof(TestClient))]
    public void PortZero_UdpAndTcpShareThePort_AndCountersAddUp(string address)
    {
        using var server = new TransportServer(new EchoProcessor(), new TransportOptions
        {
            Endpoints = [AnyPort(address)],
            UdpLoopsPerEndpoint = 2,
        });
        server.Start();
        var endpoint = server.LocalEndpoints[0];
        Assert.NotNull(server.Tcp);
        Assert.Equal(endpoint, server.Tcp.LocalEndpoints[0]);

        using (var udp = UdpClient(endpoint))
            Assert.Equal(1, Id(UdpRoundTrip(udp, Query(1))));
        using (var tcp = TcpClient(endpoint))
        {
            tcp.Send(Frame(Query(2)));
            Assert.Equal(2, Id(ReadFrame(tcp)));
        }

        Assert.True(Eventually(() => server.Snapshot() is { UdpAnswered: 1, TcpAnswered: 1, TcpConnectionsTotal: 1 }));
    }

    [Fact]
    public void EnableTcpFalse_ListensOnUdpOnly()
    {
        using var server = new TransportServer(new EchoProcessor(), new TransportOptions
        {
            Endpoints = [AnyPort("127.0.0.1")],
            UdpLoopsPerEndpoint = 1,
            EnableTcp = false,
        });
        server.Start();

        Assert.Null(server.Tcp);
        var e = Assert.Throws<SocketException>(() => TcpClient(server.LocalEndpoints[0]).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnotherResolver_ReadsOurAnswers(bool tcp)
    {
        // ARSoft.Tools.Net as an independent client: framing and the echoed message must satisfy it.
        using var server = new TransportServer(new EchoProcessor(), new TransportOptions
        {
            Endpoints = [AnyPort("127.0.0.1")],
            UdpLoopsPerEndpoint = 1,
        });
        server.Start();
        int port = server.LocalEndpoints[0].Port;
        IClientTransport transport = tcp ? new TcpClientTransport(port) : new UdpClientTransport(port);
        var resolver = new DnsClient([IPAddress.Loopback], [transport], true, ClientTimeoutMs);

        var answer = await resolver.ResolveAsync(DomainName.Parse("2.0.0.127.zen.example"), RecordType.A)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(answer);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal(DomainName.Parse("2.0.0.127.zen.example"), answer.Questions.Single().Name);
        Assert.True(Eventually(() => (tcp ? server.Snapshot().TcpAnswered : server.Snapshot().UdpAnswered) == 1));
    }
}
