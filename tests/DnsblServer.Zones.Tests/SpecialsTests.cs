using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

public sealed class SpecialsTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Fact]
    public void SoaNsTtl()
    {
        var ds = _zones.Load("ip4set", """
            $SOA 1h ns1.example.net. hostmaster.example.net 42 10m 5m 1d 2m
            $SOA 7 other. other. 1 1 1 1 1
            $NS 3600 ns1.example.net -ns9.example.net ns2.example.net
            $NS 1 ns3.example.net
            $TTL 600
            #$TTL 700
            """);
        var soa = ds.Info.Soa!;
        Assert.Equal(new SoaData(3600, "ns1.example.net", "hostmaster.example.net", 42, 600, 300, 86400, 120), soa);
        Assert.Equal(["ns1.example.net", "ns2.example.net"], ds.Info.Ns!.Names);
        Assert.Equal(3600u, ds.Info.Ns.Ttl);
        Assert.Equal(700u, ds.Info.Ttl); // the last $TTL wins, and #$ is a special too
    }

    [Theory]
    [InlineData(";$TTL 900", 900u)]
    [InlineData(":$TTL 900", 900u)]
    [InlineData("$ttl 15m", 900u)]
    [InlineData("$TTL 0", 2100u)]       // 0 = the default
    [InlineData("$TTL x", 2100u)]
    public void TtlForms(string line, uint expected)
    {
        Assert.Equal(expected, _zones.Load("ip4set", line + "\n").Info.Ttl);
    }

    [Fact]
    public void TtlIsClamped()
    {
        var options = new LoadOptions { DefaultTtl = 60, MinTtl = 30, MaxTtl = 300 };
        Assert.Equal(300u, _zones.Load("ip4set", "$TTL 4000\n", options).Info.Ttl);
        Assert.Equal(30u, _zones.Load("ip4set", "$TTL 5\n", options).Info.Ttl);
    }

    [Fact]
    public void SoaTtlZeroIsTheDatasetTtl()
    {
        Assert.Equal(600u, _zones.Load("ip4set", "$TTL 600\n$SOA 0 a. b. 0 1 1 1 1\n").Info.Soa!.Ttl);
    }

    [Fact]
    public void TimestampInTheFutureFailsTheLoad()
    {
        var result = _zones.LoadResult("ip4set", "1.1.1.1\n$TIMESTAMP 2037:01:01\n");
        Assert.False(result.Succeeded);
        Assert.Contains("future", result.Error!.Message);
        Assert.Equal(2, result.Error.Line);
    }

    [Fact]
    public void TimestampExpiry()
    {
        var ds = _zones.Load("ip4set", "$TIMESTAMP 2020:01:01 +1d\n");
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), ds.Info.Expires);
        var absolute = _zones.Load("ip4set", "$TIMESTAMP 2020-01-01 2021:02:03:04:05:06\n");
        Assert.Equal(new DateTimeOffset(2021, 2, 3, 4, 5, 6, TimeSpan.Zero).ToUnixTimeSeconds(), absolute.Info.Expires);
    }

    [Fact]
    public void UnknownSpecialIsAWarning()
    {
        var result = _zones.LoadResult("ip4set", "$FOO bar\n");
        Assert.True(result.Succeeded);
        Assert.Equal(1, result.WarningCount);
    }

    [Fact]
    public void FirstVariableDefinitionWins()
    {
        var ds = _zones.Load("ip4set", "$1 first\n$1 second\n1.2.3.4 :2:$1\n");
        Assert.Equal("127.0.0.2 first", ZoneText.Answer(ds, "1.2.3.4"));
    }
}
