using System.Net;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Metrics;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary><c>Dnsbl:Metrics:Listen</c>: parsed into the settings, off by default, a port required.</summary>
public sealed class MetricsOptionsTests
{
    private static SettingsResult Load(params string[] config)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config.Select(c => c.Split('=', 2)).Select(kv => new KeyValuePair<string, string?>(kv[0], kv[1]))).Build();
        return ServerSettingsLoader.Load(["-b", "127.0.0.1/5300", "bl.test:ip4set:bl"], configuration);
    }

    [Fact]
    public void OffByDefault() => Assert.Null(Load().Settings!.MetricsListen);

    [Theory]
    [InlineData("127.0.0.1:9153", "127.0.0.1:9153")]
    [InlineData("127.0.0.1/9153", "127.0.0.1:9153")]
    [InlineData("[::1]:9153", "[::1]:9153")]
    [InlineData("0.0.0.0:9153", "0.0.0.0:9153")]
    [InlineData("[::]:9100", "[::]:9100")]
    public void Listen(string value, string endpoint)
    {
        var result = Load($"Dnsbl:Metrics:Listen={value}");
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Equal(IPEndPoint.Parse(endpoint), result.Settings.MetricsListen);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("localhost:9153")]
    [InlineData("127.0.0.1:0")]
    public void RefusedWithTheKey(string value)
    {
        var result = Load($"Dnsbl:Metrics:Listen={value}");
        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.StartsWith("Dnsbl:Metrics:Listen", StringComparison.Ordinal));
    }
}
