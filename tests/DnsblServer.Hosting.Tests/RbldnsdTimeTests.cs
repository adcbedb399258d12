using DnsblServer.Hosting.Configuration.Internal;

namespace DnsblServer.Hosting.Tests;

/// <summary>rbldnsd's parse_time() and -t handling; each row was checked against /usr/sbin/rbldnsd -d -t/-c.</summary>
public class RbldnsdTimeTests
{
    [Theory]
    [InlineData("0", 0u)]
    [InlineData("30", 30u)]
    [InlineData("30s", 30u)]
    [InlineData("30S", 30u)]
    [InlineData("35m", 2100u)]
    [InlineData("35M", 2100u)]
    [InlineData("1h", 3600u)]
    [InlineData("2d", 172800u)]
    [InlineData("1w", 604800u)]
    [InlineData("1W", 604800u)]
    [InlineData("4294967295", 4294967295u)]
    [InlineData("7101w", 4294684800u)]
    [InlineData("60 ", 60u)]
    [InlineData("60\t \t", 60u)]
    public void Interval_parses(string value, uint expected)
    {
        Assert.True(RbldnsdTime.TryParseInterval(value, out uint seconds));
        Assert.Equal(expected, seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 60")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("m")]
    [InlineData("1x")]
    [InlineData("1h30m")]
    [InlineData("1ms")]
    [InlineData("1.5h")]
    [InlineData("60 x")]
    [InlineData("1m:")]
    [InlineData("4294967296")]
    [InlineData("7102w")]
    [InlineData("99999999999999999999")]
    public void Interval_rejects(string value) =>
        Assert.False(RbldnsdTime.TryParseInterval(value, out _));

    [Theory]
    [InlineData("30", 30u, 0u, 0u)]
    [InlineData("30:", 30u, 0u, 0u)]
    [InlineData("30::", 30u, 0u, 0u)]
    [InlineData("30:::", 30u, 0u, 0u)]                // rbldnsd accepts one extra ':'
    [InlineData(":", 2100u, 0u, 0u)]
    [InlineData("::", 2100u, 0u, 0u)]
    [InlineData("1m::2m", 60u, 0u, 120u)]
    public void Ttl_field_skipping(string value, uint def, uint min, uint max)
    {
        uint a = 2100, b = 0, c = 0;
        Assert.Null(RbldnsdTime.ApplyTtl(value, ref a, ref b, ref c));
        Assert.Equal((def, min, max), (a, b, c));
    }

    [Fact]
    public void Ttl_omitted_fields_keep_current_values()
    {
        uint def = 60, min = 10, max = 0;
        Assert.Null(RbldnsdTime.ApplyTtl("::120", ref def, ref min, ref max));
        Assert.Equal((60u, 10u, 120u), (def, min, max));
    }

    [Theory]
    [InlineData("60:30:300", 60u, 30u, 300u)]
    [InlineData("1h:1m:1d", 3600u, 60u, 86400u)]
    [InlineData("30 :10 :60", 30u, 10u, 60u)]
    [InlineData("30:30:30", 30u, 30u, 30u)]
    [InlineData("30:0:0", 30u, 0u, 0u)]
    [InlineData(":0:0", 2100u, 0u, 0u)]
    public void Ttl_triples(string value, uint def, uint min, uint max)
    {
        uint a = 2100, b = 0, c = 0;
        Assert.Null(RbldnsdTime.ApplyTtl(value, ref a, ref b, ref c));
        Assert.Equal((def, min, max), (a, b, c));
    }

    [Theory]
    [InlineData("", "invalid default TTL")]
    [InlineData("0", "invalid default TTL")]
    [InlineData("0s", "invalid default TTL")]
    [InlineData("x", "invalid default TTL")]
    [InlineData("30;60", "invalid default TTL")]
    [InlineData("30:x", "invalid minimum TTL")]
    [InlineData("30:-1", "invalid minimum TTL")]
    [InlineData("30::x", "invalid maximum TTL")]
    [InlineData("30:1:2x", "invalid maximum TTL")]
    [InlineData("30::::", "too many fields")]
    [InlineData("30:1:60:5", "too many fields")]
    [InlineData("30:60", "inconsistent def:min:max TTL 30:60:0")]
    [InlineData("30::10", "inconsistent def:min:max TTL 30:0:10")]
    [InlineData("30:20:10", "inconsistent def:min:max TTL 30:20:10")]
    [InlineData("::120", "inconsistent def:min:max TTL 2100:0:120")]   // the man page's own example fails in rbldnsd too
    [InlineData("::2m", "inconsistent def:min:max TTL 2100:0:120")]
    public void Ttl_rejects_and_leaves_values(string value, string expected)
    {
        uint a = 2100, b = 0, c = 0;
        Assert.Contains(expected, RbldnsdTime.ApplyTtl(value, ref a, ref b, ref c));
        Assert.Equal((2100u, 0u, 0u), (a, b, c));
    }
}
