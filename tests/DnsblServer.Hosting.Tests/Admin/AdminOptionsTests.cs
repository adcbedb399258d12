using System.Net;
using DnsblServer.Hosting.Configuration;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>The <c>Dnsbl:Admin</c> section, read by the one settings pipeline into <see cref="ServerSettings.Admin"/>: defaults, the token from configuration or a file, listen addresses.</summary>
public sealed class AdminOptionsTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // the pairs arrive as environment variables would (DNSBL__ADMIN__TOKEN), through the same pipeline every verb uses
    private static AdminSettings Bind(params (string Key, string Value)[] pairs)
    {
        var sources = new SettingsSources
        {
            AppSettingsPath = "/nonexistent/appsettings.json",
            Environment = pairs.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => (string?)p.Value),
        };
        var result = SettingsPipeline.Build(["-b", "127.0.0.1/5300", "bl.test:ip4set:bl"], listenRequired: true, sources);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Settings.Admin;
    }

    [Fact]
    public void OffAndOnLoopbackByDefault()
    {
        var options = Bind();
        Assert.Null(options.ResolveToken());
        Assert.True(options.TryGetEndpoint(out var endpoint));
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:8953"), endpoint);
    }

    [Fact]
    public void TheTokenComesFromConfigurationOrAFile()
    {
        // environment variables arrive with the same key (DNSBL__ADMIN__TOKEN -> DNSBL:ADMIN:TOKEN, keys are case-insensitive)
        Assert.Equal("abcdefghijklmnop", Bind(("DNSBL:ADMIN:TOKEN", " abcdefghijklmnop ")).ResolveToken());
        string file = _dir.Write("token", "from-file-0123456789\nsecond line ignored\n");
        Assert.Equal("from-file-0123456789", Bind(("Dnsbl:Admin:TokenFile", file)).ResolveToken());
        Assert.Equal("abcdefghijklmnop", Bind(("Dnsbl:Admin:Token", "abcdefghijklmnop"), ("Dnsbl:Admin:TokenFile", file)).ResolveToken());
        Assert.Null(Bind(("Dnsbl:Admin:TokenFile", _dir.Write("empty", "\n"))).ResolveToken());
    }

    [Theory]
    [InlineData("127.0.0.1:9000", "127.0.0.1:9000")]
    [InlineData("[::1]:9000", "[::1]:9000")]
    [InlineData("0.0.0.0:9000", "0.0.0.0:9000")]
    [InlineData("[::]:9000", "[::]:9000")]
    [InlineData("127.0.0.1", null)]
    [InlineData("[::1]", null)]
    [InlineData("localhost:9000", null)]
    public void ListenAddresses(string listen, string? expected)
    {
        var options = Bind(("Dnsbl:Admin:Listen", listen));
        Assert.Equal(expected is not null, options.TryGetEndpoint(out var endpoint));
        if (expected is not null) Assert.Equal(IPEndPoint.Parse(expected), endpoint);
    }
}
