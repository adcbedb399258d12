using System.Net;
using System.Net.Sockets;
using DnsblServer.Serving.Transport.Internal;

namespace DnsblServer.Serving.Tests.Transport;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::1", "::1")]
    [InlineData("::ffff:198.51.100.9", "::ffff:198.51.100.9")] // v4-mapped (a dual-stack socket's IPv4 client): kept, as rbldnsd sees it
    [InlineData("::ffff:0:0:1", "::ffff:0:0:1")]
    public void FromSocketAddress_ReturnsNetworkOrderBytes(string peer, string expected)
    {
        var address = IPAddress.Parse(peer);
        SocketAddress raw = new IPEndPoint(address, 5353).Serialize();

        var bytes = ClientAddress.From(raw, address.AddressFamily).ToArray();

        Assert.Equal(IPAddress.Parse(expected).GetAddressBytes(), bytes);
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::ffff:198.51.100.9", "::ffff:198.51.100.9")]
    public void FromEndPoint_ReturnsNetworkOrderBytes(string peer, string expected)
    {
        Span<byte> bytes = stackalloc byte[16];

        int length = ClientAddress.Write(new IPEndPoint(IPAddress.Parse(peer), 53), bytes);

        Assert.Equal(IPAddress.Parse(expected).GetAddressBytes(), bytes[..length].ToArray());
    }

    [Fact]
    public void UnknownFamilyOrEndPoint_IsEmpty()
    {
        SocketAddress raw = new IPEndPoint(IPAddress.Loopback, 53).Serialize();

        Assert.True(ClientAddress.From(raw, AddressFamily.Unix).IsEmpty);
        Assert.Equal(0, ClientAddress.Write(null, new byte[16]));
    }
}
