using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>The real binary: a settings mistake is one line on stderr and exit 2; a misspelt key a warning, and it serves.</summary>
public sealed class StartupLineTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AStrayOptionIsOneLineAndExitTwo()
    {
        _dir.Write("bl", "192.0.2.1\n");
        using var server = ServerProcess.Start(["--bogus", "-w", _dir.Path, "bl.test:ip4set:bl"], waitForStart: false);
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), server.Log);
        Assert.Equal(2, server.ExitCode);
        Assert.Equal(["DnsblServer: unknown option '--bogus' (settings are --Dnsbl:Key=Value; see --help)"], server.Errors.ToArray());
    }

    [Fact]
    public void ServeWarnsAboutAMisspeltKeyAndStillServes()
    {
        _dir.Write("bl", "192.0.2.1\n");
        using var server = ServerProcess.Start(["-w", _dir.Path, "--Dnsbl:DefaultTtl=1h", "bl.test:ip4set:bl"]);
        Assert.Contains("DnsblServer: warning: unknown key Dnsbl:DefaultTtl (ignored)", server.Errors);
        Assert.False(server.HasExited);
    }
}
