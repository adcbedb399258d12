using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Transport;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>
/// rbldnsd's <c>-b ::</c> alone is a dual-stack socket: IPv4 clients reach it as ::ffff:a.b.c.d, and its
/// ACLs and TXT see them so (rbldnsd answers "mapped ::ffff:127.0.0.1" below). Next to 0.0.0.0 on the
/// same port it is v6-only, and each family has its own socket.
/// </summary>
public sealed class DualStackTests
{
    private static QueryProcessor Processor(ZoneDirectory dir)
    {
        dir.Write("bl", "127.0.0.2\n");
        dir.Write("acl", "::ffff:0:0/96 :5:mapped $\n127.0.0.1 :refuse\n");
        var set = ZoneSetLoader.Load([ZoneSpec.Parse("z.example:ip4set:bl"), ZoneSpec.Parse("z.example:acl:acl")],
            new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        return new QueryProcessor(new ResolverOptions(), set);
    }

    [Fact]
    public void AnIPv6WildcardAloneServesIPv4ClientsAsMappedAddresses()
    {
        using var dir = new ZoneDirectory();
        using var server = new TransportServer(Processor(dir), new TransportOptions { Endpoints = [new IPEndPoint(IPAddress.IPv6Any, 0)], UdpLoopsPerEndpoint = 1 });
        server.Start();
        int port = server.LocalEndpoints[0].Port;
        var answer = new RawDnsClient(new IPEndPoint(IPAddress.Loopback, port)).Send(DnsPacket.Query("9.9.9.9.z.example", 16));
        Assert.NotNull(answer);
        Assert.Contains("\"mapped ::ffff:127.0.0.1\"", AnswerSummary.From(answer).Text);

        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        tcp.Connect(IPAddress.Loopback, port); // TCP is dual-stack too
        Assert.True(tcp.Connected);
    }

    [Fact]
    public void NextToTheIPv4WildcardEachFamilyHasItsOwnSocket()
    {
        using var dir = new ZoneDirectory();
        int port = FreePorts.UdpAndTcp();
        using var server = new TransportServer(Processor(dir), new TransportOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Any, port), new IPEndPoint(IPAddress.IPv6Any, port)],
            UdpLoopsPerEndpoint = 1,
        });
        server.Start();
        // an IPv4 client arrives on the IPv4 socket as 127.0.0.1: the ACL's 127.0.0.1 line refuses it
        var answer = new RawDnsClient(new IPEndPoint(IPAddress.Loopback, port)).Send(DnsPacket.Query("9.9.9.9.z.example", 16));
        Assert.NotNull(answer);
        Assert.Equal(5, answer![3] & 0xF);
    }

}
