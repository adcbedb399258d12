using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>The real binary with the admin API on a free loopback port, and an HTTP client for it.</summary>
internal sealed class AdminServer : IDisposable
{
    public const string Token = "test-token-5f1c-2b9e"; // 16 characters at least, or the server refuses to start

    private AdminServer(ServerProcess process, int adminPort)
    {
        Process = process;
        AdminPort = adminPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServerProcess Process { get; }

    public int AdminPort { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the server; <paramref name="token"/> false leaves the API off.</summary>
    public static AdminServer Start(IEnumerable<string> args, bool token = true, int? adminPort = null, params string[] extra)
    {
        int port = adminPort ?? FreePorts.Tcp();
        var all = new List<string>(args) { $"--Dnsbl:Admin:Listen=127.0.0.1:{port}" };
        if (token) all.Add($"--Dnsbl:Admin:Token={Token}");
        all.AddRange(extra);
        var process = ServerProcess.Start(all);
        if (token && !process.WaitForLine(l => l.Contains("admin API listening"), TimeSpan.FromSeconds(15)))
        {
            string log = process.Log;
            process.Dispose();
            throw new InvalidOperationException("admin API did not start:\n" + log);
        }
        return new AdminServer(process, port);
    }

    /// <summary>One request; <paramref name="authorization"/> is the Authorization header sent (null: none).</summary>
    public (HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) Send(HttpMethod method, string path, string? body = null, string? authorization = "Bearer " + Token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8);
        else if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Delete) request.Content = new ByteArrayContent([]);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = Http.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response);
    }

    public DnsMessage Ask(string name, RecordType type)
    {
        var client = new DnsClient([IPAddress.Loopback], [new UdpClientTransport(Process.Port)], true, 5000);
        return client.Resolve(ARSoft.Tools.Net.DomainName.Parse(name), type) ?? throw new TimeoutException($"{name} {type}: no answer");
    }

    /// <summary>The first A or TXT answer as text; "NXDOMAIN"/"NODATA" otherwise.</summary>
    public string Answer(string name, RecordType type = RecordType.Txt)
    {
        var reply = Ask(name, type);
        if (reply.ReturnCode == ReturnCode.NxDomain) return "NXDOMAIN";
        return reply.AnswerRecords.FirstOrDefault() switch
        {
            TxtRecord txt => string.Concat(txt.TextParts),
            ARecord a => a.Address.ToString(),
            null => "NODATA",
            var other => other.ToString(),
        };
    }

    public void Dispose()
    {
        Http.Dispose();
        Process.Dispose();
    }

}
