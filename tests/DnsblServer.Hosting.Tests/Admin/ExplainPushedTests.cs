using DnsblServer.Hosting.Verbs.Explain;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary><c>explain</c> shows the pushed changes that cover an address, and answers as the server does with them.</summary>
public sealed class ExplainPushedTests
{
    [Fact]
    public void PushedChangesAreExplainedAndAnswered()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", ":127.0.0.2:Listed $\n10.0.0.0/8\n");
        dir.Write("bl.journal", "+ 198.51.100.7/32 :127.0.0.3:pushed\n- 10.1.0.0/16\n");
        string Explain(string ip)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = ExplainVerb.Run(["bl.test", ip, "-w", dir.Path, "bl.test:ip4set:bl"], output, error);
            Assert.True(code == 0, error.ToString());
            return output.ToString();
        }

        string added = Explain("198.51.100.7");
        Assert.Contains("pushed to ip4set:bl: + 198.51.100.7/32 :127.0.0.3:pushed", added);
        Assert.Contains("answer: listed: NOERROR, A 127.0.0.3, TXT \"pushed\"", added);

        string removed = Explain("10.1.2.3");
        Assert.Contains("bl:2: 10.0.0.0/8", removed);
        Assert.Contains("pushed to ip4set:bl: - 10.1.0.0/16", removed);
        Assert.Contains("answer: not listed: NXDOMAIN", removed);
    }
}
