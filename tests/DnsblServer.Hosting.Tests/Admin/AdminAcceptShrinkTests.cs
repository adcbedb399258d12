using System.Net;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>POST /v1/reload?acceptShrink=DATASET against the real binary: a cut the shrink guard refused is shown in status, then loaded once.</summary>
public sealed class AdminAcceptShrinkTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ARefusedShrinkShowsInStatusAndIsAcceptedByTheOperator()
    {
        _dir.Write("bl", string.Concat(Enumerable.Range(1, 200).Select(i => $"10.0.{i}.1\n")), DateTime.UtcNow.AddMinutes(-10));
        using var server = AdminServer.Start(["-n", "-w", _dir.Path, "bl.test:ip4set:bl"]);
        _dir.Write("bl", "192.0.2.1\n", DateTime.UtcNow.AddMinutes(-5));

        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Post, "/v1/reload").Status);
        var bl = server.Send(HttpMethod.Get, "/v1/status").Body.GetProperty("datasets").EnumerateArray().Single();
        Assert.Equal("shrink-refused", bl.GetProperty("lastError").GetProperty("kind").GetString());
        Assert.Equal(200, bl.GetProperty("entries").GetInt64());
        Assert.NotEqual("NXDOMAIN", server.Answer("1.2.0.10.bl.test")); // the old data is served

        Assert.Equal(HttpStatusCode.BadRequest, server.Send(HttpMethod.Post, "/v1/reload?acceptShrink=ip4set:nope").Status);
        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Post, "/v1/reload?acceptShrink=ip4set:bl").Status);
        bl = server.Send(HttpMethod.Get, "/v1/status").Body.GetProperty("datasets").EnumerateArray().Single();
        Assert.False(bl.TryGetProperty("lastError", out var error) && error.ValueKind != System.Text.Json.JsonValueKind.Null, error.ToString());
        Assert.Equal(1, bl.GetProperty("entries").GetInt64());
        Assert.Equal("NXDOMAIN", server.Answer("1.2.0.10.bl.test"));
    }
}
