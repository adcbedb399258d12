using System.Text;
using DnsblServer.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Tests.Keys;

/// <summary><c>Dnsbl:Keys</c>: defaults, appsettings values, and one clear line per bad value; a keys zone spec in appsettings.</summary>
public sealed class KeysOptionsTests
{
    private static (ServerSettings? Settings, IReadOnlyList<string> Errors) Bind(string keysJson) =>
        Bind2($$"""{ "Dnsbl": { "Listen": [ "127.0.0.1/5300" ], "Zones": [ "dq.test:ip4set:bl", { "Name": "dq.test", "Type": "keys", "Files": [ "keys.txt" ] } ], "Keys": {{keysJson}} } }""");

    private static (ServerSettings? Settings, IReadOnlyList<string> Errors) Bind2(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var settings = DnsblOptions.Bind(configuration).ToSettings(out var errors);
        return (settings, errors);
    }

    [Fact]
    public void DefaultsAreTheDocumentedCodes()
    {
        var (settings, errors) = Bind("{}");
        Assert.Empty(errors);
        var keys = settings!.Keys;
        Assert.Equal((0x7FFFFFFEu, 0x7FFFFFFFu, 60u), (keys.Answers.UnknownKeyAddress, keys.Answers.OverQuotaAddress, keys.Answers.Ttl));
        Assert.Equal(TimeSpan.FromSeconds(10), keys.SaveInterval);
        Assert.False(keys.PerKeyMetrics);
        Assert.Equal(1000, keys.MaxKeySeries);
        Assert.Contains(settings.Zones, z => z.Type == "keys" && z.DatasetKey == "keys:keys.txt");
    }

    [Fact]
    public void ValuesAreTaken()
    {
        var (settings, errors) = Bind("""{ "UnknownKeyAddress": "127.0.0.250", "UnknownKeyText": "who?", "OverQuotaAddress": "127.0.0.251", "Ttl": "5m", "SaveInterval": "2s", "PerKeyMetrics": true, "MaxKeySeries": 5 }""");
        Assert.Empty(errors);
        var keys = settings!.Keys;
        Assert.Equal((0x7F0000FAu, "who?", 0x7F0000FBu, 300u), (keys.Answers.UnknownKeyAddress, keys.Answers.UnknownKeyText, keys.Answers.OverQuotaAddress, keys.Answers.Ttl));
        Assert.Equal((TimeSpan.FromSeconds(2), true, 5), (keys.SaveInterval, keys.PerKeyMetrics, keys.MaxKeySeries));
    }

    [Theory]
    [InlineData("""{ "UnknownKeyAddress": "::1" }""", "Dnsbl:Keys:UnknownKeyAddress '::1': expected an IPv4 address")]
    [InlineData("""{ "OverQuotaAddress": "1.2.3" }""", "Dnsbl:Keys:OverQuotaAddress '1.2.3': expected an IPv4 address")]
    [InlineData("""{ "Ttl": "soon" }""", "Dnsbl:Keys:Ttl 'soon': invalid duration")]
    [InlineData("""{ "SaveInterval": "0" }""", "Dnsbl:Keys:SaveInterval '0': expected a duration from 1s to 10m")]
    [InlineData("""{ "MaxKeySeries": 0 }""", "Dnsbl:Keys:MaxKeySeries 0: must be from 1 to 100000")]
    [InlineData("""{ "OverQuotaText": "" }""", "Dnsbl:Keys:OverQuotaText: must be 1 to 255 bytes")]
    public void ABadValueIsOneLine(string json, string expected)
    {
        var (settings, errors) = Bind(json);
        Assert.Null(settings);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
