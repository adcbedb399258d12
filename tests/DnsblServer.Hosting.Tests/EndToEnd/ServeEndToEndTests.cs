using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// The real binary, started with an rbldnsd command line, queried with a real DNS client over UDP and
/// TCP; zone files changed, broken and signalled under it as an operator would.
/// </summary>
public sealed class ServeEndToEndTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DnsMessage Ask(int port, string name, RecordType type, bool tcp = false)
    {
        IClientTransport transport = tcp ? new TcpClientTransport(port) : new UdpClientTransport(port);
        var client = new DnsClient([IPAddress.Loopback], [transport], true, 5000);
        return client.Resolve(DomainName.Parse(name), type) ?? throw new TimeoutException($"{name} {type}: no answer");
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            Thread.Sleep(100);
        }
        Assert.Fail("timed out waiting for: " + what);
    }

    [Fact]
    public void ServesOverUdpAndTcpAndReloadsChangedFiles()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n$NS 60 ns.bl.test\n:127.0.0.2:Listed $\n192.0.2.1\n");
        using var server = ServerProcess.Start(["-n", "-c", "1", "-w", _dir.Path, "bl.test:ip4set:bl"]);

        var listed = Ask(server.Port, "1.2.0.192.bl.test", RecordType.Txt);
        Assert.Equal(ReturnCode.NoError, listed.ReturnCode);
        Assert.Equal("Listed 192.0.2.1", string.Concat(Assert.IsType<TxtRecord>(Assert.Single(listed.AnswerRecords)).TextParts));
        var overTcp = Ask(server.Port, "1.2.0.192.bl.test", RecordType.A, tcp: true);
        Assert.Equal("127.0.0.2", Assert.IsType<ARecord>(Assert.Single(overTcp.AnswerRecords)).Address.ToString());
        Assert.Equal(ReturnCode.NxDomain, Ask(server.Port, "2.2.0.192.bl.test", RecordType.A).ReturnCode);

        // a new file, renamed into place: picked up at the next check
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 2 1 1 1 30\n:127.0.0.3:Now $\n192.0.2.2\n");
        Eventually(() => Ask(server.Port, "2.2.0.192.bl.test", RecordType.A).ReturnCode == ReturnCode.NoError, "the new entry");
        Assert.Equal(ReturnCode.NxDomain, Ask(server.Port, "1.2.0.192.bl.test", RecordType.A).ReturnCode);

        // a broken file (future $TIMESTAMP fails the load): the old data keeps serving, the log says why
        _dir.Write("bl", "$TIMESTAMP 2037:01:01\n192.0.2.9\n");
        Eventually(() => server.Errors.Any(l => l.Contains("load failed") && l.Contains("bl:1") && l.Contains("future")), "the failure in the log");
        Assert.Equal(ReturnCode.NoError, Ask(server.Port, "2.2.0.192.bl.test", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, Ask(server.Port, "9.2.0.192.bl.test", RecordType.A).ReturnCode);
    }

    [Fact]
    public void SighupReloadsAtOnce()
    {
        _dir.Write("bl", "192.0.2.1\n");
        using var server = ServerProcess.Start(["-c", "0", "-w", _dir.Path, "bl.test:ip4set:bl"]); // no timer: only SIGHUP
        _dir.Write("bl", "192.0.2.7\n");
        server.Signal(1);
        Eventually(() => Ask(server.Port, "7.2.0.192.bl.test", RecordType.A).ReturnCode == ReturnCode.NoError, "reload on SIGHUP");
        Assert.False(server.HasExited);
    }

    [Fact]
    public void BadLinesAreLoggedWithFileAndLine()
    {
        _dir.Write("bl", "192.0.2.1\nnot-an-address\n192.0.2.3 :0:\n");
        using var server = ServerProcess.Start(["-w", _dir.Path, "bl.test:ip4set:bl"]);
        Assert.Contains(server.Errors, l => l.Contains("bl:2: invalid address"));
        Assert.Contains(server.Errors, l => l.Contains("bl:3: invalid A RR"));
        Assert.Equal(ReturnCode.NoError, Ask(server.Port, "1.2.0.192.bl.test", RecordType.A).ReturnCode);
    }

    [Fact]
    public void MissingZoneFileAbortsUnlessQuiet()
    {
        using (var failing = ServerProcess.Start(["-w", _dir.Path, "bl.test:ip4set:missing"], waitForStart: false))
        {
            Assert.True(failing.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, failing.ExitCode);
            Assert.Contains(failing.Errors, l => l.Contains("missing") && l.Contains("unable to read file"));
        }
        using var quiet = ServerProcess.Start(["-q", "-w", _dir.Path, "bl.test:ip4set:missing"]);
        Assert.Equal(ReturnCode.ServerFailure, Ask(quiet.Port, "1.2.0.192.bl.test", RecordType.A).ReturnCode);
    }

    [Theory]
    [InlineData("-u", "rbldns")]
    [InlineData("-r", "/var/lib/rbldnsd")]
    public void RefusedOptionsExplainWhy(string option, string value)
    {
        using var server = ServerProcess.Start(["-w", _dir.Path, option, value, "bl.test:ip4set:bl"], waitForStart: false);
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.NotEqual(0, server.ExitCode);
        Assert.Contains(server.Errors, l => l.Contains(option) && l.Contains("systemd"));
    }
}
