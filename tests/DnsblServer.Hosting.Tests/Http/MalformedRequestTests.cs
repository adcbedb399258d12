using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Tests.Admin;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Http;

/// <summary>One server with the metrics listener and the admin API, shared by the malformed-request tests.</summary>
public sealed class HttpServersFixture : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public HttpServersFixture()
    {
        _dir.Write("bl", "192.0.2.1\n");
        MetricsPort = FreePorts.Tcp();
        Server = AdminServer.Start(["-n", "-w", _dir.Path, "bl.test:ip4set:bl"], extra: $"--Dnsbl:Metrics:Listen=127.0.0.1:{MetricsPort}");
    }

    internal AdminServer Server { get; }

    public int MetricsPort { get; }

    public int AdminPort => Server.AdminPort;

    public const string Auth = "Authorization: Bearer " + AdminServer.Token + "\r\n";

    public void Dispose()
    {
        Server.Dispose();
        _dir.Dispose();
    }
}

/// <summary>
/// Requests an attacker sends, as raw bytes: each gets exactly one response, a 4xx when it is invalid (never a
/// 500, never an unrequested second response), and nothing invalid is applied. HttpListener answered a
/// foreign Host with a 404 and then a 200, read Content-Length plus chunked as chunked and applied it,
/// never answered a second pipelined request, gave 500 for <c>?path=bl%00</c> and kept silent connections forever.
/// </summary>
public sealed class MalformedRequestTests(HttpServersFixture servers) : IClassFixture<HttpServersFixture>
{
    private const string Entry = """{"file":"bl","entry":"192.0.2.9"}""";

    [Fact]
    public void AnyHostGetsOneResponseAndAMissingHostOne400()
    {
        Assert.Equal([200], RawHttp.Statuses(RawHttp.Exchange(servers.MetricsPort, "GET /healthz HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")));
        Assert.Equal([200], RawHttp.Statuses(RawHttp.Exchange(servers.AdminPort, "GET /v1/status HTTP/1.1\r\nHost: evil.example:1\r\n" + HttpServersFixture.Auth + "Connection: close\r\n\r\n")));
        Assert.Equal([400], RawHttp.Statuses(RawHttp.Exchange(servers.MetricsPort, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")));
        Assert.Equal([400], RawHttp.Statuses(RawHttp.Exchange(servers.AdminPort, "GET /v1/status HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + HttpServersFixture.Auth + "\r\n")));
    }

    [Fact]
    public void ContentLengthWithChunkedIsRefusedAndNotApplied()
    {
        string chunked = $"{Entry.Length:x}\r\n{Entry}\r\n0\r\n\r\n";
        string smuggled = "POST /v1/entries HTTP/1.1\r\nHost: a\r\n" + HttpServersFixture.Auth + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked;
        Assert.Equal([400], RawHttp.Statuses(RawHttp.Exchange(servers.AdminPort, smuggled)));
        Assert.Equal([400], RawHttp.Statuses(RawHttp.Exchange(servers.MetricsPort, "GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")));

        Assert.Equal(0, servers.Server.Send(HttpMethod.Get, "/v1/entries?file=bl").Body.GetProperty("changes").GetArrayLength());
        Assert.Equal("NXDOMAIN", servers.Server.Answer("9.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
    }

    [Fact]
    public void PipelinedRequestsAreEachAnswered()
    {
        string metrics = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /readyz HTTP/1.1\r\nHost: a\r\n\r\nGET /nothing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        Assert.Equal([200, 200, 404], RawHttp.Statuses(RawHttp.Exchange(servers.MetricsPort, metrics)));
        string status = "GET /v1/status HTTP/1.1\r\nHost: a\r\n" + HttpServersFixture.Auth + "\r\n";
        Assert.Equal([200, 200], RawHttp.Statuses(RawHttp.Exchange(servers.AdminPort, status + status.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal))));
    }

    [Fact]
    public void AControlCharacterInANameIsABadRequest()
    {
        string upload = "PUT /v1/files?path=bl%00 HTTP/1.1\r\nHost: a\r\n" + HttpServersFixture.Auth + "Content-Length: 10\r\nConnection: close\r\n\r\n192.0.2.5\n";
        Assert.Equal([400], RawHttp.Statuses(RawHttp.Exchange(servers.AdminPort, upload)));
        Assert.Equal(HttpStatusCode.BadRequest, servers.Server.Send(HttpMethod.Get, "/v1/entries?file=bl%00").Status);
        Assert.Equal(HttpStatusCode.BadRequest, servers.Server.Send(HttpMethod.Post, "/v1/entries", """{"file":"bl\u0000","entry":"192.0.2.9"}""").Status);
        Assert.Equal(HttpStatusCode.BadRequest, servers.Server.Send(HttpMethod.Post, "/v1/entries", """{"dataset":"ip4set:bl\n","entry":"192.0.2.9"}""").Status);
        Assert.Equal([400], RawHttp.Statuses(RawHttp.Exchange(servers.MetricsPort, "GET /metrics%00 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")));
        Assert.Equal("NXDOMAIN", servers.Server.Answer("5.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
    }

    [Fact]
    public async Task SilentAndTricklingConnectionsAreClosed()
    {
        // keep-alive 10 s for a connection with no request, 10 s for the headers of one that trickles in
        var silent = Task.Run(() => SecondsUntilClosed(servers.MetricsPort, trickle: false));
        var silentAdmin = Task.Run(() => SecondsUntilClosed(servers.AdminPort, trickle: false));
        var trickling = Task.Run(() => SecondsUntilClosed(servers.MetricsPort, trickle: true));
        foreach (var (task, what) in new[] { (silent, "silent metrics"), (silentAdmin, "silent admin"), (trickling, "trickling metrics") })
        {
            double seconds = await task;
            Assert.True(seconds is > 5 and < 20, $"{what} connection closed after {seconds:F1} s");
        }
    }

    private static double SecondsUntilClosed(int port, bool trickle)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, port);
        var clock = Stopwatch.StartNew();
        if (trickle) socket.Send("GET /metrics HTTP/1.1\r\n"u8);
        var buffer = new byte[4096];
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (trickle)
            {
                try
                {
                    socket.Send("X-Slow: 1\r\n"u8); // one header line every second, never the blank line
                }
                catch (SocketException)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            if (socket.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectRead))
            {
                try
                {
                    if (socket.Receive(buffer) == 0) return clock.Elapsed.TotalSeconds;
                }
                catch (SocketException)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
        }
        return clock.Elapsed.TotalSeconds;
    }
}
