using System.Net;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>The admin API answers nothing without the right bearer token, and only its own routes and methods.</summary>
public sealed class AdminAuthTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Requests => new()
    {
        { "GET", "/v1/status" },
        { "POST", "/v1/reload" },
        { "PUT", "/v1/files?path=bl" },
        { "POST", "/v1/entries" },
        { "DELETE", "/v1/entries" },
        { "GET", "/v1/entries?file=bl" },
        { "GET", "/no/such/route" },
    };

    [Fact]
    public void EveryRouteNeedsTheTokenAndUnknownRoutesAndMethodsAreRefused()
    {
        _dir.Write("bl", "192.0.2.1\n");
        using var server = AdminServer.Start(["-w", _dir.Path, "bl.test:ip4set:bl"], extra: "--Dnsbl:Admin:MaxRequestBytes=1000");
        string[] wrong = [null!, "Bearer nope", "Bearer " + AdminServer.Token[..^1], "Bearer " + AdminServer.Token + "x", "Basic " + AdminServer.Token, AdminServer.Token];
        foreach (var (method, path) in Requests.Select(r => ((string)r[0], (string)r[1])))
        {
            foreach (string? authorization in wrong)
            {
                string body = method == "GET" ? null! : """{"file":"bl","entry":"192.0.2.9"}""";
                var (status, _, response) = server.Send(new HttpMethod(method), path, body, authorization);
                Assert.True(status == HttpStatusCode.Unauthorized, $"{method} {path} with '{authorization}': {status}");
                Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
            }
        }
        // nothing was changed by the refused requests
        Assert.Equal("NXDOMAIN", server.Answer("9.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
        Assert.Equal("192.0.2.1\n", File.ReadAllText(_dir.GetPath("bl")));

        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Get, "/v1/status").Status);
        Assert.Equal(HttpStatusCode.NotFound, server.Send(HttpMethod.Get, "/no/such/route").Status);
        var (notAllowed, _, allowResponse) = server.Send(HttpMethod.Delete, "/v1/status");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed);
        Assert.Equal("GET", string.Join(",", allowResponse.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, server.Send(HttpMethod.Get, "/v1/reload").Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, server.Send(HttpMethod.Post, "/v1/entries", new string(' ', 5000)).Status);
        Assert.Equal(HttpStatusCode.NotFound, server.Send(HttpMethod.Put, "/v1/files?path=../../etc/passwd", "x").Status);
        Assert.Equal(HttpStatusCode.BadRequest, server.Send(HttpMethod.Post, "/v1/entries", "not json").Status);
    }
}
