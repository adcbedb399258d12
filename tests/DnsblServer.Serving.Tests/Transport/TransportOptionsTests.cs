using System.Net;
using DnsblServer.Serving.Transport;

namespace DnsblServer.Serving.Tests.Transport;

public sealed class TransportOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndDocumented()
    {
        var options = new TransportOptions();

        options.Validate();
        Assert.Equal([new IPEndPoint(IPAddress.Any, 53), new IPEndPoint(IPAddress.IPv6Any, 53)], options.Endpoints);
        Assert.Equal(Environment.ProcessorCount, options.UdpLoopsPerEndpoint);
        Assert.Equal(4 * 1024 * 1024, options.SocketReceiveBufferBytes);
        Assert.Equal(100, options.UdpBatchWaitMicroseconds);
        Assert.Equal(TimeSpan.FromSeconds(10), options.TcpIdleTimeout);
        Assert.Equal(256, options.MaxTcpConnections);
        Assert.True(options.EnableTcp);
    }

    public static readonly TheoryData<string, Action<TransportOptions>> Invalid = new()
    {
        { "Endpoints", o => o.Endpoints = [] },
        { "UdpLoopsPerEndpoint", o => o.UdpLoopsPerEndpoint = 0 },
        { "UdpBatchWaitMicroseconds", o => o.UdpBatchWaitMicroseconds = -1 },
        { "UdpBatchWaitMicroseconds", o => o.UdpBatchWaitMicroseconds = 10_001 },
        { "SocketReceiveBufferBytes", o => o.SocketReceiveBufferBytes = 100 },
        { "TcpIdleTimeout", o => o.TcpIdleTimeout = TimeSpan.Zero },
        { "MaxTcpConnections", o => o.MaxTcpConnections = 0 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheBadSetting(string setting, Action<TransportOptions> spoil)
    {
        var options = new TransportOptions();
        spoil(options);

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(setting, e.ParamName);
    }
}
