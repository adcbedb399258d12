using System.Diagnostics;
using System.Text.RegularExpressions;
using DnsblServer.Hosting.Tests.Metrics;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// DNS Cookies over real sockets with real clients: dig +cookie twice (the second sending the server cookie of the
/// first), kdig +cookie, a malformed cookie, a previous secret. Debian's unbound 1.17.1 has no cookie support at all
/// (no cookie option, no "cookie" string in the binary), so it is not one of the clients here.
/// </summary>
public sealed partial class CookieEndToEndTests : IDisposable
{
    private const string Secret = "e5e973e5a6b2a43f48e7dc849e37bfcf";
    private const string Earlier = "dd3bdf9344b678b185a6f5cb60fca715";
    private readonly ZoneDirectory _dir = new();

    public CookieEndToEndTests() => _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");

    public void Dispose() => _dir.Dispose();

    private ServerProcess Start(params string[] extra) => ServerProcess.Start(["-w", _dir.Path, .. extra, "bl.test:ip4set:bl"]);

    private static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(ToolFact.Find(tool) ?? throw new InvalidOperationException(tool + " not found")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(20_000), tool + " hung");
        return output;
    }

    private static string Dig(int port, params string[] args) =>
        Run("dig", ["@127.0.0.1", "-p", port.ToString(), "+tries=1", "+time=3", "1.2.0.192.bl.test", "A", .. args]);

    [GeneratedRegex(@"COOKIE: ([0-9a-f]{16})([0-9a-f]{32})? \(([a-z]+)\)")]
    private static partial Regex DigCookie();

    [DigFact]
    public void DigGetsACookieAndTheSecondQueryShowsItGood()
    {
        using var server = Start();
        Assert.Contains(server.Output, l => l.Contains("random secret", StringComparison.Ordinal));
        string first = Dig(server.Port, "+cookie");
        var m = DigCookie().Match(first);
        Assert.True(m.Success, first);
        Assert.Equal("good", m.Groups[3].Value); // dig checks the client cookie it sent came back
        Assert.Contains("status: NOERROR", first);
        Assert.Contains("127.0.0.2", first);

        string cookie = m.Groups[1].Value + m.Groups[2].Value;
        string second = Dig(server.Port, "+cookie=" + cookie);
        var again = DigCookie().Match(second);
        Assert.True(again.Success, second);
        Assert.Equal("good", again.Groups[3].Value);
        Assert.Equal(m.Groups[1].Value, again.Groups[1].Value);

        // over TCP the same
        Assert.Matches(DigCookie(), Dig(server.Port, "+tcp", "+cookie=" + cookie));

        // the random secret came from the kernel: OpenSSL (4 MB of an idle server's RSS) was never mapped
        if (OperatingSystem.IsLinux()) Assert.DoesNotContain("libcrypto", File.ReadAllText($"/proc/{server.ProcessId}/maps"), StringComparison.Ordinal);
    }

    [DigFact]
    public void AMalformedCookieIsFormErrAndAnOldOneIsStillAnswered()
    {
        using var server = Start("--Dnsbl:Cookies:Secret=" + Secret);
        Assert.Contains("status: FORMERR", Dig(server.Port, "+cookie=0102030405060708090a")); // 10 bytes
        // a server cookie made with our secret 2 hours ago: invalid, answered all the same (BADCOOKIE is the rate limiter's call)
        string old = Dig(server.Port, "+cookie=" + CookieAt(Secret, DateTimeOffset.UtcNow.AddHours(-2)));
        Assert.Contains("status: NOERROR", old);
        Assert.Contains("127.0.0.2", old);
    }

    [DigFact]
    public void ThePreviousSecretIsAccepted()
    {
        using var server = Start("--Dnsbl:Cookies:Secret=" + Secret, "--Dnsbl:Cookies:PreviousSecret=" + Earlier, "--Dnsbl:Metrics:Listen=127.0.0.1:" + FreePorts.Tcp());
        Assert.DoesNotContain(server.Output, l => l.Contains("random secret", StringComparison.Ordinal));
        string answer = Dig(server.Port, "+cookie=" + CookieAt(Earlier, DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.Contains("127.0.0.2", answer);
    }

    [ToolFact("kdig")]
    public void KdigGetsACookie()
    {
        using var server = Start();
        string output = Run("kdig", "@127.0.0.1", "-p", server.Port.ToString(), "+cookie", "+retry=0", "+time=3", "1.2.0.192.bl.test", "A");
        Assert.Matches(@"COOKIE: [0-9A-F]{16}01000000[0-9A-F]{24}\b", output); // kdig prints it in capitals, client then server cookie
        Assert.Contains("NOERROR", output);
        Assert.Contains("127.0.0.2", output);
    }

    [Fact]
    public void CookiesOffEchoNothing()
    {
        using var server = Start("--Dnsbl:Cookies:Enabled=false");
        var raw = new RawDnsClient(server.Port, TimeSpan.FromSeconds(3)).Query("1.2.0.192.bl.test", 1, edns: new Edns(OptionData: [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]));
        var reply = RawDnsClient.Parse(raw ?? throw new TimeoutException("no answer"));
        Assert.Empty(reply.EDnsOptions!.Options);
        Assert.Single(reply.AnswerRecords);
    }

    [Fact]
    public void ABadSecretIsOneLineAndAnExit()
    {
        using var server = ServerProcess.Start(["-w", _dir.Path, "--Dnsbl:Cookies:Secret=abc", "bl.test:ip4set:bl"], waitForStart: false);
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.NotEqual(0, server.ExitCode);
        var line = Assert.Single(server.Errors, l => l.Contains("Dnsbl:Cookies:Secret", StringComparison.Ordinal));
        Assert.Contains("32 hex digits", line);
        Assert.DoesNotContain(server.Errors, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    // a client cookie and an RFC 9018 server cookie made with secret at time, for 127.0.0.1
    private static string CookieAt(string secretHex, DateTimeOffset at)
    {
        byte[] client = [9, 8, 7, 6, 5, 4, 3, 2];
        var server = new byte[16];
        Serving.Cookies.CookieSecret.TryParseHex(secretHex, out var secret);
        Serving.Cookies.ServerCookies.Make(secret, client, (uint)at.ToUnixTimeSeconds(), [127, 0, 0, 1], server);
        return Convert.ToHexStringLower([.. client, .. server]);
    }
}

/// <summary>A fact that needs dig (Debian dnsutils).</summary>
internal sealed class DigFactAttribute : FactAttribute
{
    public DigFactAttribute() => Skip = ToolFact.SkipReason("dig", ToolFact.Find("dig"));
}

/// <summary>A fact that needs a Debian tool on PATH.</summary>
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool) => Skip = ToolFact.SkipReason(tool, ToolFact.Find(tool));
}
