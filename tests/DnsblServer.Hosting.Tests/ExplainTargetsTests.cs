using DnsblServer.Hosting.Verbs.Explain;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests;

/// <summary><c>explain</c> takes IPv6 addresses and domain names, and names what is wrong with a bad argument.</summary>
public sealed class ExplainTargetsTests
{
    private static (int Code, string Output, string Error) Explain(ZoneDirectory dir, string zone, string what, params string[] rest)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExplainVerb.Run([zone, what, "-w", dir.Path, .. rest], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Ip6AddressesAreAnsweredAsTheServerDoesWithExemptRanges()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl6", ":127.0.0.2:v6 listed\n2001:db8::/32\n");
        dir.Write("eop", "2001:db8:1::/48\n");
        string[] zone = ["--Dnsbl:Exempt:0:Name=eop", "--Dnsbl:Exempt:0:Files:0=eop", "bl6.test:ip6trie:bl6"];

        var listed = Explain(dir, "bl6.test", "2001:db8:2::1", zone);
        Assert.True(listed.Code == 0, listed.Error);
        Assert.Contains("query 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.8.b.d.0.1.0.0.2.bl6.test", listed.Output);
        Assert.Contains("alone answers: listed: NOERROR, A 127.0.0.2, TXT \"v6 listed\"", listed.Output);
        Assert.Contains("does not cover the address", listed.Output);
        Assert.Contains("answer: listed: NOERROR, A 127.0.0.2", listed.Output);

        var exempt = Explain(dir, "bl6.test", "2001:db8:1::5", zone);
        Assert.True(exempt.Code == 0, exempt.Error);
        Assert.Contains("exempts the address", exempt.Output);
        Assert.Contains("answer: NXDOMAIN (not listed: the address is exempt)", exempt.Output);

        var outside = Explain(dir, "bl6.test", "2001:db9::1", zone);
        Assert.Contains("answer: not listed: NXDOMAIN", outside.Output);
    }

    [Fact]
    public void Ip6TSetIsAnswered()
    {
        using var dir = new ZoneDirectory();
        dir.Write("t6", ":127.0.0.4:tset\n2001:db8:0:5\n");
        var r = Explain(dir, "t6.test", "2001:db8:0:5::9", "t6.test:ip6tset:t6");
        Assert.True(r.Code == 0, r.Error);
        Assert.Contains("answer: listed: NOERROR, A 127.0.0.4, TXT \"tset\"", r.Output);
    }

    [Fact]
    public void DomainNamesAreAnsweredFromDnset()
    {
        using var dir = new ZoneDirectory();
        dir.Write("dbl", ":127.0.1.2:spam domain\nspam.example\n");
        var listed = Explain(dir, "dbl.test", "Spam.Example.", "dbl.test:dnset:dbl");
        Assert.True(listed.Code == 0, listed.Error);
        Assert.Contains("query spam.example.dbl.test", listed.Output);
        Assert.Contains("answer: listed: NOERROR, A 127.0.1.2, TXT \"spam domain\"", listed.Output);

        var clean = Explain(dir, "dbl.test", "ham.example", "dbl.test:dnset:dbl");
        Assert.Contains("answer: not listed: NXDOMAIN", clean.Output);
    }

    [Theory]
    [InlineData("1.2.3", "explain: '1.2.3' is not a full IPv4 address (4 octets of 0-255), an IPv6 address or a domain name")]
    [InlineData("1.2.3.256", "explain: '1.2.3.256' is not a full IPv4 address")]
    [InlineData("2001:db8::zz", "explain: '2001:db8::zz' is not a valid IPv6 address")]
    [InlineData("bad name!", "explain: 'bad name!' is not an IPv4 address, an IPv6 address or a domain name")]
    public void ABadArgumentSaysWhatIsWrongInOneLine(string what, string expected)
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", "1.2.3.4\n");
        var r = Explain(dir, "bl.test", what, "bl.test:ip4set:bl");
        Assert.Equal(2, r.Code);
        Assert.StartsWith(expected, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal("", r.Output);
    }
}
