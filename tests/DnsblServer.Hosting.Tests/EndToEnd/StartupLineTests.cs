using System.Net;
using System.Net.Sockets;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// The real binary: a settings mistake is one line on stderr and exit 2; a misspelt key a warning, and it serves;
/// a port held by anything else (another program, a second DnsblServer) or a pid file it cannot write is one line
/// and exit 1, never a stack trace.
/// </summary>
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

    [Fact]
    public void AUdpPortHeldByAnotherProcessIsOneLineAndExitOne()
    {
        int port = FreePorts.UdpAndTcp();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, port));
        AssertOneLineExit(1, "address already in use", "-b", $"127.0.0.1/{port}");
    }

    [Fact]
    public void ATcpPortHeldByAnotherProcessIsOneLineAndExitOne()
    {
        int port = FreePorts.UdpAndTcp();
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();
        AssertOneLineExit(1, "address already in use", "-b", $"127.0.0.1/{port}");
    }

    [Fact]
    public void ASecondInstanceOnTheSamePortIsRefusedAndTheFirstKeepsItsQueries()
    {
        // SO_REUSEPORT joins this process's own UDP loops, never another instance's sockets
        _dir.Write("bl", "192.0.2.1\n");
        using var first = ServerProcess.Start(["-w", _dir.Path, "bl.test:ip4set:bl"]);
        AssertOneLineExit(1, "address already in use", "-b", $"127.0.0.1/{first.Port}");
        Assert.False(first.HasExited);
    }

    [Fact]
    public void APidFileThatCannotBeWrittenIsOneLineAndExitOne()
    {
        int port = FreePorts.UdpAndTcp();
        AssertOneLineExit(1, "-p /nonexistent/dir/pid: ", "-b", $"127.0.0.1/{port}", "-p", "/nonexistent/dir/pid");
    }

    private void AssertOneLineExit(int code, string expected, params string[] args)
    {
        _dir.Write("bl", "192.0.2.1\n");
        using var server = ServerProcess.Start([.. args, "-w", _dir.Path, "bl.test:ip4set:bl"], waitForStart: false, bind: false);
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), server.Log);
        Assert.True(code == server.ExitCode, $"exit {server.ExitCode}\n{server.Log}");
        string line = Assert.Single(server.Errors);
        Assert.StartsWith("DnsblServer: ", line);
        Assert.Contains(expected, line, StringComparison.OrdinalIgnoreCase);
    }
}
