using System.Net.Sockets;
using System.Text;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>
/// systemd Type=notify: the binary, given a NOTIFY_SOCKET as systemd would give it, sends READY=1 only
/// once it answers queries (zones loaded, listeners bound) and STOPPING=1 when told to stop.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SendsReadyAfterThePortAnswersAndStoppingOnSigterm()
    {
        // enough data that the first load takes a noticeable moment before the listeners open
        var zone = new StringBuilder(":127.0.0.2:Listed $\n");
        for (int i = 0; i < 50_000; i++) zone.Append($"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\n");
        zone.Append("192.0.2.1\n");
        _dir.Write("bl", zone.ToString());
        string socketPath = _dir.GetPath("notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        notify.ReceiveTimeout = 60_000;

        using var server = ServerProcess.Start(["-w", _dir.Path, "bl.test:ip4set:bl"], waitForStart: false,
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath });
        var buffer = new byte[4096];
        string first = Encoding.ASCII.GetString(buffer, 0, notify.Receive(buffer));

        // READY=1 is the first message, and by then both transports answer at the first try
        Assert.Contains("READY=1", first.Split('\n'));
        var client = new RawDnsClient(server.Port, TimeSpan.FromSeconds(2));
        var answer = client.Summarize("1.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A);
        Assert.Contains("127.0.0.2", answer.Text);
        using (var tcp = new TcpClient())
        {
            tcp.Connect(System.Net.IPAddress.Loopback, server.Port);
        }

        server.Signal(15);
        string next = Encoding.ASCII.GetString(buffer, 0, notify.Receive(buffer));
        Assert.Contains("STOPPING=1", next.Split('\n'));
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, server.ExitCode);
    }
}
