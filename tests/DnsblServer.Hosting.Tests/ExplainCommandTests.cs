using DnsblServer.Hosting.Verbs.Explain;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests;

public sealed class ExplainCommandTests
{
    [Fact]
    public void ShowsEveryMatchingEntryTheExemptionAndTheAnswer()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", ":127.0.0.2:Listed $\n40.92.0.0/16 :3:wide\n40.92.10.20\n10.0.0.0/8\n!10.1.0.0/16\n");
        dir.Write("eop", "# EOP\n40.92.0.0/15\n");
        string Explain(string ip)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = ExplainVerb.Run(["bl.test", ip, "-w", dir.Path, "--Dnsbl:Exempt:0:Name=eop", "--Dnsbl:Exempt:0:Files:0=eop", "bl.test:ip4set:bl"], output, error);
            Assert.True(code == 0, error.ToString());
            return output.ToString();
        }

        string exempt = Explain("40.92.10.20");
        Assert.Contains("bl:2: 40.92.0.0/16 :3:wide  ->  A 127.0.0.3, TXT \"wide\"", exempt);
        Assert.Contains("bl:3: 40.92.10.20  ->  A 127.0.0.2, TXT \"Listed $\"", exempt);
        Assert.Contains("eop:2: 40.92.0.0/15  ->  exempt", exempt);
        Assert.Contains("answer: NXDOMAIN (not listed: the address is exempt)", exempt);

        string excluded = Explain("10.1.2.3");
        Assert.Contains("bl:4: 10.0.0.0/8", excluded);
        Assert.Contains("bl:5: !10.1.0.0/16  ->  excluded", excluded);
        Assert.Contains("no entry covers the address", excluded);
        Assert.Contains("answer: not listed: NXDOMAIN", excluded);

        string listed = Explain("10.2.0.1");
        Assert.Contains("answer: listed: NOERROR, A 127.0.0.2, TXT \"Listed 10.2.0.1\"", listed);
    }

    [Fact]
    public void UnknownZoneIsAnError()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", "1.2.3.4\n");
        var error = new StringWriter();
        Assert.Equal(2, ExplainVerb.Run(["nope.test", "1.2.3.4", "-w", dir.Path, "bl.test:ip4set:bl"], new StringWriter(), error));
        Assert.Contains("'nope.test' is not configured", error.ToString());
    }

    [Fact]
    public void AKeyedZoneIsExplainedAsAKnownKeyIsAnswered()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", ":127.0.0.2:Listed $\n10.0.0.0/8\n");
        dir.Write("keys", "k1\n");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(ExplainVerb.Run(["dq.test", "10.2.0.1", "-w", dir.Path, "dq.test:ip4set:bl", "dq.test:keys:keys"], output, error) == 0, error.ToString());
        Assert.Contains("keyed zone: the answer to a known key", output.ToString());
        Assert.Contains("answer: listed: NOERROR, A 127.0.0.2, TXT \"Listed 10.2.0.1\"", output.ToString());
        Assert.DoesNotContain("keys:keys", output.ToString());
    }
}
