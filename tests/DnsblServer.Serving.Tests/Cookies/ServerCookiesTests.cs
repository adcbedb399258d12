using System.Net;
using DnsblServer.Serving.Cookies;
using DnsblServer.Serving.Pipeline;

namespace DnsblServer.Serving.Tests.Cookies;

/// <summary>RFC 9018 server cookies: the Appendix A vectors byte for byte, the age window, rollover, RFC 7873 lengths.</summary>
public sealed class ServerCookiesTests
{
    private static readonly CookieSecret A = Secret("e5e973e5a6b2a43f48e7dc849e37bfcf");
    private static readonly CookieSecret Old = Secret("dd3bdf9344b678b185a6f5cb60fca715");
    private static readonly CookieSecret New = Secret("445536bcd2513298075a5d379663c962");

    internal static CookieSecret Secret(string hex) => CookieSecret.TryParseHex(hex, out var s) ? s : throw new ArgumentException(hex);

    internal static byte[] Address(string ip) => IPAddress.Parse(ip).GetAddressBytes();

    // Appendix A: secret, client address, query's option, time the server answers, the option it returns
    public static TheoryData<string, string, string, uint, string> AppendixA => new()
    {
        { "A.1", "198.51.100.100", "2464c4abcf10c957", 1559731985, "2464c4abcf10c957010000005cf79f111f8130c3eee29480" },
        { "A.2", "198.51.100.100", "2464c4abcf10c957010000005cf79f111f8130c3eee29480", 1559734385, "2464c4abcf10c957010000005cf7a871d4a564a1442aca77" },
        { "A.3", "203.0.113.203", "fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5", 1559734700, "fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e" },
        { "A.4", "2001:db8:220:1:59de:d0f4:8769:82b8", "22681ab97d52c298010000005cf7c57926556bd0934c72f8", 1559741961, "22681ab97d52c298010000005cf7c609a6bb79d16625507a" },
    };

    [Theory]
    [MemberData(nameof(AppendixA))]
    public void RepliesAsAppendixA(string example, string client, string query, uint now, string reply)
    {
        var secret = example == "A.4" ? New : A;
        var cookies = new ServerCookies(secret, example == "A.4" ? Old : null, new FixedClock(now));
        var written = new byte[24];
        var status = cookies.Check(Convert.FromHexString(query), Address(client), written);
        Assert.Equal(reply, Convert.ToHexStringLower(written));
        // A.2 comes 40 minutes after A.1: still valid; A.3's cookie is 1 h 52 min old by then: past the hour
        var expected = example switch { "A.1" => CookieStatus.ClientOnly, "A.3" => CookieStatus.Invalid, _ => CookieStatus.Valid };
        Assert.Equal(expected, status);
    }

    [Fact]
    public void AppendixA3CookieWithReservedBitsIsValidWithinTheHour()
    {
        var cookies = new ServerCookies(A);
        byte[] option = Convert.FromHexString("fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5");
        Assert.True(cookies.IsValid(option, Address("203.0.113.203"), 1559727985 + 60));
        Assert.False(cookies.IsValid(option, Address("203.0.113.204"), 1559727985 + 60));
    }

    [Fact]
    public void AppendixA4IsValidOnlyWhileTheOldSecretIsKept()
    {
        byte[] option = Convert.FromHexString("22681ab97d52c298010000005cf7c57926556bd0934c72f8");
        byte[] client = Address("2001:db8:220:1:59de:d0f4:8769:82b8");
        Assert.True(new ServerCookies(New, Old).IsValid(option, client, 1559741961));
        Assert.True(new ServerCookies(Old).IsValid(option, client, 1559741961));
        Assert.False(new ServerCookies(New).IsValid(option, client, 1559741961));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3600, true)]
    [InlineData(3601, false)]      // more than an hour old
    [InlineData(-300, true)]
    [InlineData(-301, false)]      // more than five minutes ahead
    [InlineData(-2_000_000_000, false)]
    public void AgeWindow(int age, bool valid)
    {
        const uint issued = 1_700_000_000;
        byte[] option = new byte[24];
        Convert.FromHexString("0102030405060708").CopyTo(option, 0);
        ServerCookies.Make(A, option.AsSpan(0, 8), issued, Address("192.0.2.1"), option.AsSpan(8));
        Assert.Equal(valid, new ServerCookies(A).IsValid(option, Address("192.0.2.1"), (uint)(issued + age)));
    }

    [Fact]
    public void TimestampWrapsAt2106()
    {
        byte[] option = new byte[24];
        ServerCookies.Make(A, option.AsSpan(0, 8), uint.MaxValue - 10, Address("192.0.2.1"), option.AsSpan(8));
        Assert.True(new ServerCookies(A).IsValid(option, Address("192.0.2.1"), 20)); // 31 s later, after the wrap
    }

    [Theory]
    [InlineData(0, CookieStatus.Malformed)]
    [InlineData(7, CookieStatus.Malformed)]
    [InlineData(8, CookieStatus.ClientOnly)]
    [InlineData(9, CookieStatus.Malformed)]
    [InlineData(15, CookieStatus.Malformed)]
    [InlineData(16, CookieStatus.Invalid)]   // a server cookie of 8 bytes: allowed by RFC 7873, not one of ours
    [InlineData(24, CookieStatus.Invalid)]
    [InlineData(40, CookieStatus.Invalid)]
    [InlineData(41, CookieStatus.Malformed)]
    public void OptionLengths(int length, CookieStatus expected)
    {
        var reply = new byte[24];
        Assert.Equal(expected, new ServerCookies(A).Check(new byte[length], Address("192.0.2.1"), reply));
        Assert.Equal(expected != CookieStatus.Malformed, reply[8] == ServerCookies.CookieVersion);
    }

    [Fact]
    public void DualStackClientIsBoundToItsIPv4Address()
    {
        var cookies = new ServerCookies(A, time: new FixedClock(1_700_000_000));
        var reply = new byte[24];
        cookies.Check(new byte[8], Address("::ffff:192.0.2.1"), reply);
        Assert.Equal(CookieStatus.Valid, cookies.Check(reply, Address("192.0.2.1"), new byte[24]));
        Assert.Equal(CookieStatus.Invalid, cookies.Check(reply, Address("192.0.2.2"), new byte[24]));
    }

    [Theory]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcf", true)]
    [InlineData("E5E973E5A6B2A43F48E7DC849E37BFCF", true)]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfc", false)]
    [InlineData("e5e973e5a6b2a43f48e7dc849e37bfcfa0", false)]
    [InlineData("g5e973e5a6b2a43f48e7dc849e37bfcf", false)]
    [InlineData("+5e973e5a6b2a43f48e7dc849e37bfcf", false)]
    [InlineData("", false)]
    public void SecretsAre32HexDigits(string text, bool ok)
    {
        Assert.Equal(ok, CookieSecret.TryParseHex(text, out var secret));
        if (ok) Assert.Equal(A, secret);
        Assert.DoesNotContain("e5e9", secret.ToString());
    }
}

/// <summary>A clock stopped at a Unix time.</summary>
internal sealed class FixedClock(long unixSeconds) : TimeProvider
{
    public long UnixSeconds { get; set; } = unixSeconds;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);
}
