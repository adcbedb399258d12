using System.Buffers.Binary;
using System.Net.Sockets;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// Where we answer differently from rbldnsd on purpose (each listed in the README), asserted
/// against the real rbldnsd so that the difference is exactly the documented one.
/// </summary>
public sealed class DeliberateDifferencesTests(ServerPair servers) : IClassFixture<ServerPair>
{
    [Fact]
    public void PartialNameWithEntriesBeneathIsNoDataPerRfc8020()
    {
        var (theirs, mine) = servers.Ask(Query("0.0.127.t.example", 1));
        Assert.StartsWith("NXDOMAIN", theirs.Text);
        Assert.StartsWith("NOERROR", mine.Text);
        Assert.Equal(theirs.Text.Replace("NXDOMAIN", "NOERROR"), mine.Text); // same flags and SOA in AUTHORITY
        // names with nothing beneath stay NXDOMAIN, and so do partial names under other octets
        Assert.StartsWith("NXDOMAIN", servers.Ask(Query("1.0.127.t.example", 1)).Mine.Text);
        Assert.StartsWith("NOERROR", servers.Ask(Query("127.t.example", 16)).Mine.Text);
        Assert.StartsWith("NOERROR", servers.Ask(Query("1.10.t.example", 1)).Mine.Text); // 10.1.0.0/16 beneath
    }

    [Fact]
    public void AnswerThatDoesNotFitSetsTcInsteadOfDroppingRecordsSilently()
    {
        var (theirs, mine) = servers.Ask(Query("8.0.0.10.many.example", 1));
        Assert.Contains("flags=qr rd", theirs.Text);           // rbldnsd: AA cleared, no TC, 29 of 38
        Assert.Contains("flags=qr aa tc rd", mine.Text);
        var theirsMessage = RawDnsClient.Parse(servers.Rbldnsd.CreateClient().Send(Query("8.0.0.10.many.example", 1))!);
        var mineMessage = RawDnsClient.Parse(servers.Ours.CreateClient().Send(Query("8.0.0.10.many.example", 1))!);
        Assert.Equal(29, theirsMessage.AnswerRecords.Count);
        Assert.Equal(29, mineMessage.AnswerRecords.Count);     // what fits is still there
        // over TCP the whole answer comes, authoritative, not truncated
        var tcp = RawDnsClient.Parse(TcpQuery(servers.Ours.Port, Query("8.0.0.10.many.example", 1)));
        Assert.Equal(38, tcp.AnswerRecords.Count);
        Assert.True(tcp.IsAuthoritiveAnswer);
        Assert.False(tcp.IsTruncated);
    }

    [Fact]
    public void EdnsQueryGetsAnOptRecordWithOurPayloadSize()
    {
        var (theirs, mine) = servers.Ask(Query("2.0.0.127.t.example", 16, edns: new Edns(4096)));
        Assert.DoesNotContain("OPT", theirs.Text);               // rbldnsd adds OPT only past 512 bytes
        Assert.Contains(". OPT udp=1232 ercode=0 version=0", mine.Text);
        Assert.Equal(theirs.Text, string.Join('\n', mine.Text.Split('\n').Where(l => !l.Contains("OPT") && l != ";; ADDITIONAL")).Trim() + (theirs.Text.EndsWith('\n') ? "\n" : ""));
    }

    [Fact]
    public void LargeEdnsAnswerIsCappedAt1232BytesWithTc()
    {
        byte[] query = Query("8.0.0.10.many.example", 16, edns: new Edns(4096));
        byte[] theirs = servers.Rbldnsd.CreateClient().Send(query)!;
        byte[] mine = servers.Ours.CreateClient().Send(query)!;
        var message = RawDnsClient.Parse(mine);
        Assert.True(RawDnsClient.Parse(theirs).AnswerRecords.Count > message.AnswerRecords.Count); // rbldnsd: up to 2048 bytes
        Assert.False(RawDnsClient.Parse(theirs).IsAuthoritiveAnswer);                                // ... AA cleared, no TC
        Assert.True(theirs.Length > 1232);
        Assert.True(mine.Length <= 1232);
        Assert.True(message.IsAuthoritiveAnswer);
        Assert.True(message.IsTruncated);
        Assert.Equal(1232, message.EDnsOptions!.UdpPayloadSize);
    }

    [Fact]
    public void UnknownEdnsVersionIsBadVers()
    {
        var mine = RawDnsClient.Parse(servers.Ours.CreateClient().Send(Query("2.0.0.127.t.example", 1, edns: new Edns(1232, Version: 1)))!);
        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.BadVersion, mine.ReturnCode);
        Assert.Empty(mine.AnswerRecords);
    }

    [Fact]
    public void TcpAnswersLikeUdp()
    {
        byte[] query = Query("2.0.0.127.t.example", 255);
        var udp = AnswerSummary.From(servers.Ours.CreateClient().Send(query));
        var tcp = AnswerSummary.From(TcpQuery(servers.Ours.Port, query));
        Assert.Equal(udp, tcp);
        Assert.Throws<SocketException>(() => TcpQuery(servers.Rbldnsd.Port, query)); // rbldnsd has no TCP
    }

    [Fact]
    public void VersionTextNamesUsUnlessConfigured()
    {
        Assert.StartsWith("DnsblServer ", new ResolverOptions().VersionText);
        var refused = new QueryProcessor(new ResolverOptions { VersionText = null });
        var response = new byte[512];
        int n = refused.Answer(Query("version.bind", 16, ClassCh), response, Serving.TransportKind.Udp, out var outcome);
        Assert.Equal(QueryOutcome.Refused, outcome);
        Assert.Equal(5, response[3] & 15);
        Assert.True(n > 12);
    }

    internal static byte[] TcpQuery(int port, byte[] query)
    {
        using var client = new TcpClient();
        client.Connect(System.Net.IPAddress.Loopback, port);
        using var stream = client.GetStream();
        stream.ReadTimeout = 3000;
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        stream.Write(framed);
        var length = new byte[2];
        stream.ReadExactly(length);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        stream.ReadExactly(answer);
        return answer;
    }
}
