using System.Net;
using DnsblServer.Hosting.Configuration.Internal;

namespace DnsblServer.Hosting.Tests;

public class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.0.1/5300", "127.0.0.1:5300")]
    [InlineData("127.0.0.1:5300", "127.0.0.1:5300")]
    [InlineData("0.0.0.0:53", "0.0.0.0:53")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("::", "[::]:53")]
    [InlineData("::1/5300", "[::1]:5300")]
    [InlineData("[::1]", "[::1]:53")]
    [InlineData("[::1]:5300", "[::1]:5300")]
    [InlineData("[::1]/5300", "[::1]:5300")]
    [InlineData("[2001:db8::5]:65535", "[2001:db8::5]:65535")]
    [InlineData("fe80::1:5300", "[fe80::1:5300]:53")] // ambiguous form is an address: use brackets or '/'
    [InlineData("127.0.0.1/domain", "127.0.0.1:53")]
    public void Config_form(string value, string expected)
    {
        Assert.True(ListenAddress.TryParseConfig(value, out IPEndPoint? endpoint, out string? error), error);
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("", "invalid IP address ''")]
    [InlineData("127.0.0.1:", "missing port after ':'")]
    [InlineData("[::1]:", "missing port after ':'")]
    [InlineData("[::1", "expected [ipv6] or [ipv6]:port")]
    [InlineData("[::1]x", "expected [ipv6] or [ipv6]:port")]
    [InlineData("127.0.0.1:http", "invalid port 'http'")]
    [InlineData("127.0.0.1:65536", "invalid port '65536'")]
    [InlineData("dns.example:53", "'dns.example' is not a numeric IP address; hostnames are not resolved")]
    [InlineData("localhost", "'localhost' is not a numeric IP address")]
    [InlineData("[127.0.0.1", "expected [ipv6]")]
    [InlineData("1.2.3.4.5", "invalid IP address '1.2.3.4.5'")]
    public void Config_form_rejects(string value, string expected)
    {
        Assert.False(ListenAddress.TryParseConfig(value, out _, out string? error));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("127.0.0.1:5300", "rbldnsd separates the port with '/'")]
    [InlineData("[::1]:5300", "rbldnsd separates the port with '/'")]
    [InlineData("/53", "missing host part")]
    public void Rbldnsd_form_rejects_with_hint(string value, string expected)
    {
        Assert.False(ListenAddress.TryParseRbldnsd(value, out _, out string? error));
        Assert.Contains(expected, error);
    }
}
