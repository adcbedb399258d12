using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// The <c>check</c> and <c>dump</c> verbs run as an operator (or CI) runs them: the real binary, its
/// output and its exit status (0 all well, 1 a dataset fails to load, 2 bad configuration).
/// </summary>
public sealed class CheckAndDumpVerbTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Exit, string[] Output, string[] Errors) Run(params string[] args)
    {
        using var process = ServerProcess.Start(args, waitForStart: false, bind: false);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "did not exit:\n" + process.Log);
        return (process.ExitCode, process.Output.ToArray(), process.Errors.ToArray());
    }

    [Fact]
    public void GoodZoneChecksClean()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 7 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n198.51.100.0/24\n");
        _dir.Write("names", "spam.example\n");
        var (exit, output, errors) = Run("check", "-w", _dir.Path, "bl.test:ip4set:bl", "dbl.test:dnset:names");
        Assert.True(exit == 0, string.Join('\n', output.Concat(errors)));
        Assert.Contains("ip4set:bl: loaded, 2 entries, 0 warnings", string.Join('\n', output));
        Assert.Contains(output, l => l.StartsWith("dnset:names: loaded, 1 entries, 0 warnings"));
        Assert.Contains("zone bl.test: ip4set:bl: serial 7", output);
        Assert.Contains(output, l => l.StartsWith("OK: 2 zones, 2 datasets, 0 warnings"));
        Assert.DoesNotContain(output, l => l.Contains("warning:"));
    }

    [Fact]
    public void BadLinesAreEveryOneReportedWithFileAndLineAndStillPass()
    {
        // eight bad lines: the server logs only the first 5 per dataset, check prints them all
        string bad = string.Concat(Enumerable.Range(0, 8).Select(i => $"bad-{i}\n"));
        _dir.Write("bl", "192.0.2.1\n" + bad + "192.0.2.3 :0:\n");
        var (exit, output, errors) = Run("check", "-w", _dir.Path, "bl.test:ip4set:bl");
        Assert.True(exit == 0, string.Join('\n', output.Concat(errors)));
        for (int line = 2; line <= 9; line++) Assert.Contains($"bl:{line}: warning: invalid address", output);
        Assert.Contains("bl:10: warning: invalid A RR", output);
        Assert.Contains(output, l => l.StartsWith("ip4set:bl: loaded, 1 entries, 9 warnings"));
        Assert.Contains(output, l => l.StartsWith("OK: 1 zones, 1 datasets, 9 warnings"));
    }

    [Fact]
    public void CheckAppliesTheConfiguredLineLimit()
    {
        _dir.Write("bl", "192.0.2.1\n192.0.2.2\n192.0.2.3\n");
        var (exit, output, errors) = Run("check", "-w", _dir.Path, "bl.test:ip4set:bl", "--Dnsbl:MaxFileLines=2");
        Assert.True(exit == 1, string.Join('\n', output.Concat(errors)));
        Assert.Contains(output, l => l.Contains("more than 2 lines, load aborted (setting MaxFileLines)"));
    }

    [Fact]
    public void UnreadableFileFailsWithExitOne()
    {
        _dir.Write("bl", "192.0.2.1\n");
        var (exit, output, _) = Run("check", "-w", _dir.Path, "bl.test:ip4set:bl", "other.test:ip4set:missing");
        Assert.Equal(1, exit);
        Assert.Contains(output, l => l.StartsWith("missing: error: unable to read file"));
        Assert.Contains("ip4set:missing: FAILED, 0 warnings", output);
        Assert.Contains(output, l => l.StartsWith("ip4set:bl: loaded, 1 entries"));
        Assert.Contains("zone other.test: ip4set:missing: NOT SERVED (SERVFAIL)", output);
        Assert.Contains(output, l => l.StartsWith("FAILED: 1 of 2 datasets did not load"));
    }

    [Fact]
    public void FutureTimestampFailsWithFileAndLine()
    {
        _dir.Write("bl", "192.0.2.1\n$TIMESTAMP 2037:01:01\n");
        var (exit, output, _) = Run("check", "-w", _dir.Path, "bl.test:ip4set:bl");
        Assert.Equal(1, exit);
        Assert.Contains(output, l => l.StartsWith("bl:2: error:") && l.Contains("future"));
    }

    [Fact]
    public void AnExpiredZoneFailsAsServeWouldAnswerServfail()
    {
        _dir.Write("bl", "$TIMESTAMP 2020:01:01 2020:02:01\n192.0.2.1\n");
        _dir.Write("ok", "192.0.2.2\n");
        var (exit, output, _) = Run("check", "-w", _dir.Path, "bl.test:ip4set:bl", "ok.test:ip4set:ok");
        Assert.Equal(1, exit);
        Assert.Contains(output, l => l.StartsWith("zone bl.test: ip4set:bl: EXPIRED at 2020-02-01"));
        Assert.Contains(output, l => l.StartsWith("zone ok.test: ip4set:ok: no $SOA"));
        Assert.Contains(output, l => l.StartsWith("FAILED: 0 of 2 datasets did not load, 1 zone(s) expired"));
    }

    [Theory]
    [InlineData("-t", "xx")]
    [InlineData("--Dnsbl:Ttl=abc", null)]
    [InlineData("-b", "not-an-address")]
    public void BadConfigurationExitsTwo(string option, string? value)
    {
        _dir.Write("bl", "192.0.2.1\n");
        string[] args = value is null ? ["check", option, "-w", _dir.Path, "bl.test:ip4set:bl"] : ["check", option, value, "-w", _dir.Path, "bl.test:ip4set:bl"];
        var (exit, output, errors) = Run(args);
        Assert.True(exit == 2, $"exit {exit}\n" + string.Join('\n', output.Concat(errors)));
        Assert.Contains(errors, l => l.StartsWith("DnsblServer: "));
    }

    [Fact]
    public void UnknownConfigurationKeysAreWarnedAbout()
    {
        _dir.Write("bl", "192.0.2.1\n");
        var (exit, output, errors) = Run("check", "--Dnsbl:DefaultTtl=1h", "-w", _dir.Path, "bl.test:ip4set:bl");
        Assert.True(exit == 0, string.Join('\n', output.Concat(errors)));
        Assert.Contains("configuration: warning: unknown key Dnsbl:DefaultTtl (ignored)", output);
        Assert.Contains(output, l => l.StartsWith("OK: 1 zones, 1 datasets, 1 warnings"));
    }

    [Fact]
    public void UnknownDatasetTypeIsBadConfiguration()
    {
        var (exit, _, errors) = Run("check", "bl.test:nosuchtype:bl");
        Assert.True(exit == 2, string.Join('\n', errors));
    }

    [Fact]
    public void HelpListsTheVerbs()
    {
        var (exit, output, _) = Run("--help");
        Assert.Equal(0, exit);
        foreach (string verb in new[] { "serve", "check", "dump", "explain" }) Assert.Contains(output, l => l.TrimStart().StartsWith(verb + " "));
        var (checkExit, checkOutput, _) = Run("check", "--help");
        Assert.Equal(0, checkExit);
        Assert.Contains(checkOutput, l => l.StartsWith("Usage: DnsblServer check"));
    }

    [Fact]
    public void DumpEqualsDashD()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 5 1 1 1 30\n$NS 60 ns1.bl.test\n:127.0.0.2:Listed $\n10.0.0.250-10.0.2.3 :3:r\n10.8.1.0/24\n!10.8.1.1\n");
        var (exit, output, errors) = Run("dump", "-w", _dir.Path, "bl.test:ip4set:bl");
        Assert.True(exit == 0, string.Join('\n', errors));
        var (dashDExit, dashD, _) = Run("-d", "-w", _dir.Path, "bl.test:ip4set:bl");
        Assert.Equal(0, dashDExit);
        // the first line carries the time of the dump
        Assert.StartsWith("; zone dump made ", output[0]);
        Assert.Equal(dashD.Skip(1), output.Skip(1));
        Assert.Contains("$ORIGIN\tbl.test.", output);
        Assert.Contains("*.1.0.10\tA\t127.0.0.3", output);
        Assert.DoesNotContain(output, l => l.StartsWith("1.1.8.10\t"));
    }

    [Fact]
    public void DumpOfABrokenZoneExitsOne()
    {
        var (exit, _, _) = Run("dump", "-w", _dir.Path, "bl.test:ip4set:missing");
        Assert.Equal(1, exit);
    }
}
